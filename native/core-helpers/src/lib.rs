//! The napi-free part of the Zerobus native binding: everything here runs under `cargo test`
//! (a napi cdylib does not link there on Linux). The binding crate is only glue between these
//! pieces, the core crate and N-API.

pub mod ack_coalescer;
pub mod error_info;
pub mod failure_text;
pub mod header_names;
pub mod held_records;
pub mod lifecycle;
pub mod log_forwarding;
pub mod stream_settings;

pub use ack_coalescer::AckCoalescer;
pub use error_info::{ErrorInfo, ErrorOrigin};
pub use lifecycle::{Lifecycle, STREAM_SPAN_NAME};
pub use stream_settings::{StreamSettings, TlsSettings};

/// The core version this binding wraps (kept in step with `native/Cargo.toml`).
pub const CORE_VERSION: &str = "2.9.0";
