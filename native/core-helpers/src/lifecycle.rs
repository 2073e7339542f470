//! The core exposes neither the server's stream id nor its reconnections; it only logs them (tracing
//! `info` events in its supervisor, which runs inside the span the binding opens around each stream).
//! This module recognises those events and routes them to the stream whose span they belong to.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::failure_text::FAILURE_PREFIX;

/// Name of the span the binding opens around each stream's creation; its `key` field routes events.
pub const STREAM_SPAN_NAME: &str = "zerobus_native_stream";

/// Target of the event that binds the current trace to a stream (see [`bind_current_trace`]).
pub const BIND_TARGET: &str = "zerobus_native::bind";

/// Marks the trace the caller runs in (the core's supervisor span, a root because the core spawns it)
/// as belonging to stream `key`. Our headers provider calls it: the core asks it for headers from inside
/// that trace before every connection, so later lifecycle events of the trace reach the right stream.
pub fn bind_current_trace(key: u64) {
    tracing::trace!(target: "zerobus_native::bind", key, "bind");
}

/// Target prefix of the core's events and spans.
pub const CORE_TARGET: &str = "databricks_zerobus_ingest_sdk";

/// What happened to a stream's connection, as the core reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    /// A connection is open (first one or after recovery) with this server stream id.
    Connected { stream_id: String, recovered: bool },
    /// The connection was lost and the core starts reconnecting.
    RecoveryStarted,
    /// The core left the connection after the server's close signal: it paused sending and waited for the
    /// records in flight to be acknowledged (or for the pause to end), as PROTOCOL.md A.5 asks.
    LeftAfterCloseSignal,
    /// The connection failed with an error the core would retry; the text is the error's `Display`.
    FailureDetected(String),
}

/// Recognises the core 2.9.0 supervisor's lifecycle events by message and fields.
pub fn classify(message: &str, stream_id: Option<&str>) -> Option<Lifecycle> {
    match (message, stream_id) {
        ("Successfully created stream", Some(id)) => Some(Lifecycle::Connected {
            stream_id: id.to_string(),
            recovered: false,
        }),
        ("Successfully recovered stream", Some(id)) => Some(Lifecycle::Connected {
            stream_id: id.to_string(),
            recovered: true,
        }),
        ("Stream lost; starting recovery", _) => Some(Lifecycle::RecoveryStarted),
        // The receiver ends without an error only after a close signal (a close ends the sender first).
        ("Receiver task completed successfully", _) => Some(Lifecycle::LeftAfterCloseSignal),
        (message, _) => message
            .strip_prefix(FAILURE_PREFIX)
            .map(|error| Lifecycle::FailureDetected(error.to_string())),
    }
}

type Sink = Arc<dyn Fn(Lifecycle) + Send + Sync>;

fn sinks() -> &'static Mutex<HashMap<u64, Sink>> {
    static SINKS: OnceLock<Mutex<HashMap<u64, Sink>>> = OnceLock::new();
    SINKS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Keeps a stream's sink registered; dropping it unregisters.
#[must_use]
pub struct Registration(u64);

impl Registration {
    /// The key to put into the stream's span.
    pub fn key(&self) -> u64 {
        self.0
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        sinks().lock().unwrap_or_else(|e| e.into_inner()).remove(&self.0);
    }
}

/// Registers the sink of a new stream under a fresh key.
pub fn register(sink: Sink) -> Registration {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let key = NEXT.fetch_add(1, Ordering::Relaxed);
    sinks().lock().unwrap_or_else(|e| e.into_inner()).insert(key, sink);
    Registration(key)
}

/// Delivers an event to the stream registered under `key`, if it is still there.
pub fn dispatch(key: u64, event: Lifecycle) {
    let sink = sinks().lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
    if let Some(sink) = sink {
        sink(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_supervisor_events() {
        assert_eq!(
            classify("Successfully created stream", Some("s-1")),
            Some(Lifecycle::Connected { stream_id: "s-1".into(), recovered: false })
        );
        assert_eq!(
            classify("Successfully recovered stream", Some("s-2")),
            Some(Lifecycle::Connected { stream_id: "s-2".into(), recovered: true })
        );
        assert_eq!(classify("Stream lost; starting recovery", None), Some(Lifecycle::RecoveryStarted));
        assert_eq!(classify("Successfully created stream", None), None);
        assert_eq!(classify("Closing stream", Some("s-1")), None);
        assert_eq!(
            classify("Receiver task completed successfully", None),
            Some(Lifecycle::LeftAfterCloseSignal)
        );
        assert_eq!(
            classify("Stream failure detected: Stream is closed: code: 'x'", Some("s-1")),
            Some(Lifecycle::FailureDetected("Stream is closed: code: 'x'".into()))
        );
    }

    #[test]
    fn dispatches_to_the_registered_sink_until_it_is_dropped() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = Arc::clone(&seen);
        let registration = register(Arc::new(move |e| sink_seen.lock().unwrap().push(e)));
        dispatch(registration.key(), Lifecycle::RecoveryStarted);
        let key = registration.key();
        drop(registration);
        dispatch(key, Lifecycle::RecoveryStarted);
        assert_eq!(seen.lock().unwrap().as_slice(), &[Lifecycle::RecoveryStarted]);
    }
}
