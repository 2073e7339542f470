//! Everything the binding tells JS about a stream goes through one thread-safe function as a
//! [`NativeEvent`]; the Rust side queues an [`Event`] from any thread and it is turned into the JS
//! object on the JS thread (acks are read from the coalescer only then, so a burst becomes one call).

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::BigInt;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use zerobus_native_helpers::{AckCoalescer, ErrorInfo, Lifecycle};

use crate::errors::NativeErrorInfo;

/// What happened, queued from any thread.
pub enum Event {
    /// The core needs headers for a connection attempt; answer with `provideHeaders(requestId, …)`.
    Headers { request_id: u32, after_auth_rejection: bool },
    /// Acks arrived; the highest is read from the coalescer on the JS thread.
    Ack,
    Lifecycle(Lifecycle),
    /// The stream failed for good.
    Failed(ErrorInfo),
}

/// One event for the JS side. `kind` is `headers`, `ack`, `connected`, `recovering`, `closeSignal` (the core
/// paused after the server's close signal and left the connection) or `failed`.
#[napi(object)]
pub struct NativeEvent {
    pub kind: String,
    pub request_id: Option<u32>,
    pub after_auth_rejection: Option<bool>,
    /// `ack`: every batch up to this core offset is acknowledged (absent when nothing new).
    pub up_to: Option<BigInt>,
    pub stream_id: Option<String>,
    pub recovered: Option<bool>,
    pub error: Option<NativeErrorInfo>,
}

impl NativeEvent {
    fn of(kind: &str) -> Self {
        Self {
            kind: kind.to_string(),
            request_id: None,
            after_auth_rejection: None,
            up_to: None,
            stream_id: None,
            recovered: None,
            error: None,
        }
    }

    /// Builds the JS object for `event` (runs on the JS thread).
    pub fn from_event(event: Event, acks: &AckCoalescer) -> Self {
        match event {
            Event::Headers {
                request_id,
                after_auth_rejection,
            } => Self {
                request_id: Some(request_id),
                after_auth_rejection: Some(after_auth_rejection),
                ..Self::of("headers")
            },
            Event::Ack => Self {
                up_to: acks.take().map(BigInt::from),
                ..Self::of("ack")
            },
            Event::Lifecycle(Lifecycle::Connected {
                stream_id,
                recovered,
            }) => Self {
                stream_id: Some(stream_id),
                recovered: Some(recovered),
                ..Self::of("connected")
            },
            Event::Lifecycle(Lifecycle::RecoveryStarted | Lifecycle::FailureDetected(_)) => {
                Self::of("recovering")
            }
            Event::Lifecycle(Lifecycle::LeftAfterCloseSignal) => Self::of("closeSignal"),
            Event::Failed(info) => Self {
                error: Some(NativeErrorInfo::from(&info)),
                ..Self::of("failed")
            },
        }
    }
}

/// The thread-safe function that delivers events (`(event) => void` on the JS side).
pub type EventFunction = ThreadsafeFunction<Event, (), NativeEvent, napi::Status, false>;

/// Sends events to JS from any thread, until released.
#[derive(Clone)]
pub struct EventSender {
    function: Arc<Mutex<Option<EventFunction>>>,
    pub acks: Arc<AckCoalescer>,
}

impl EventSender {
    pub fn new(function: EventFunction, acks: Arc<AckCoalescer>) -> Self {
        Self {
            function: Arc::new(Mutex::new(Some(function))),
            acks,
        }
    }

    pub fn send(&self, event: Event) {
        let function = self.function.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(function) = function.as_ref() {
            // NonBlocking: the queue is unbounded, and a core thread must never wait on JS.
            function.call(event, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }

    /// Releases the JS function once the stream has ended, so it no longer keeps the process alive.
    /// Events already queued are still delivered; later ones are dropped.
    pub fn release(&self) {
        self.function.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// Records an acknowledged core offset and schedules one JS call when none is pending.
    pub fn ack(&self, offset: i64) {
        if self.acks.record(offset) {
            self.send(Event::Ack);
        }
    }
}
