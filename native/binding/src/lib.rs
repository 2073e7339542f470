//! N-API glue of `@zerobus/backend-native`. The logic lives in `zerobus-native-helpers` (tested with
//! `cargo test`); this crate only moves values between JS and the core crate.
#![deny(clippy::all)]

mod allocator;
mod env_teardown;
mod errors;
mod events;
mod headers;
mod json_chunks;
mod logger;
mod native_stream;
mod test_hooks;

pub use allocator::{allocator_live_bytes, allocator_peak_bytes, reset_allocator_peak};
pub use logger::set_native_logger;
pub use native_stream::NativeStream;
pub use test_hooks::set_ack_delay_for_tests;

use napi_derive::napi;

/// The version of `databricks-zerobus-ingest-sdk` this addon wraps.
#[napi]
pub fn core_version() -> &'static str {
    zerobus_native_helpers::CORE_VERSION
}
