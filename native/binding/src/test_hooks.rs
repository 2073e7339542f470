//! Delays that make the binding's races happen on purpose in tests. Zero (no delay) unless a test set one;
//! a production program never calls the setter, so the check is one relaxed load.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use napi_derive::napi;

static ACK_DELAY_MS: AtomicU32 = AtomicU32::new(0);

/// For tests only: makes the core's ack callback wait `ms` before handing each ack to the binding, so a
/// failure that follows an ack is seen first (the race the failure path must survive).
#[napi(js_name = "__setAckDelayForTests")]
pub fn set_ack_delay_for_tests(ms: u32) {
    ACK_DELAY_MS.store(ms, Ordering::Relaxed);
}

/// Called by the ack callback (on the core's callback task, never on the JS thread).
pub fn delay_ack() {
    let ms = ACK_DELAY_MS.load(Ordering::Relaxed);
    if ms > 0 {
        std::thread::sleep(Duration::from_millis(u64::from(ms)));
    }
}
