//! The core's `HeadersProvider`, answered by JS: each connection attempt sends a `headers` event with
//! a request id and waits (on the core's runtime, never on the JS thread) until JS calls
//! `provideHeaders(requestId, …)` with the provider's answer. No OAuth of our own runs here.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use databricks_zerobus_ingest_sdk::{HeadersProvider, ZerobusError, ZerobusResult};
use tokio::sync::oneshot;
use zerobus_native_helpers::error_info::{HEADERS_PROVIDER_MARKER, RECONNECTION_REFUSED};
use zerobus_native_helpers::{header_names, lifecycle};

use crate::events::{Event, EventSender};

type Reply = ZerobusResult<HashMap<&'static str, String>>;

/// Pending header requests of one stream.
#[derive(Default)]
pub struct HeadersRequests {
    pending: Mutex<HashMap<u32, oneshot::Sender<Reply>>>,
    next_id: AtomicU32,
    /// Set by `invalidate` (the core saw an auth rejection): the next request asks for fresh credentials.
    auth_rejected: AtomicBool,
    /// Set by `close`: the stream is over, so no request will ever be answered.
    closed: AtomicBool,
    /// Set by the first request, the creation's: any later one is the core reconnecting, which is refused.
    asked: AtomicBool,
}

impl HeadersRequests {
    /// Answers request `id` with headers (already normalised by the TS side) or the provider's failure.
    pub fn answer(&self, id: u32, reply: Result<Vec<(String, String)>, (bool, String)>) {
        let sender = self
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        let Some(sender) = sender else {
            return; // the attempt was abandoned (timeout, close): nobody waits any more
        };
        let reply = match reply {
            Ok(headers) => header_names::to_core_headers(headers).map_err(|message| {
                ZerobusError::InvalidStateError(format!("{HEADERS_PROVIDER_MARKER}: {message}"))
            }),
            // A retryable failure (token endpoint 5xx, network) lets the core try again under its
            // creation policy; anything else ends the attempt series.
            Err((true, message)) => Err(ZerobusError::TokenFetchError(format!(
                "{HEADERS_PROVIDER_MARKER}: {message}"
            ))),
            Err((false, message)) => Err(ZerobusError::InvalidStateError(format!(
                "{HEADERS_PROVIDER_MARKER}: {message}"
            ))),
        };
        let _ = sender.send(reply);
    }

    /// The stream is over (aborted, or its creation abandoned): pending and later requests fail at once,
    /// with an error the core does not retry, so a creation still running winds down instead of waiting
    /// out its timeouts for answers that will never come.
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        // Dropping the senders wakes every waiting attempt with "the stream ended".
        self.pending.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    fn forget(&self, id: u32) {
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
    }
}

/// Removes a request when its attempt is dropped before JS answered.
struct ForgetOnDrop<'a>(&'a HeadersRequests, u32);

impl Drop for ForgetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.forget(self.1);
    }
}

/// The provider handed to the core.
pub struct JsHeadersProvider {
    pub requests: Arc<HeadersRequests>,
    pub events: EventSender,
    /// The stream's lifecycle key: each request binds the core's trace to it.
    pub stream_key: u64,
}

#[async_trait]
impl HeadersProvider for JsHeadersProvider {
    async fn get_headers(&self) -> ZerobusResult<HashMap<&'static str, String>> {
        lifecycle::bind_current_trace(self.stream_key);
        if self.requests.closed.load(Ordering::SeqCst) {
            return Err(stream_ended());
        }
        // The core's recovery is on only so that it honours close signals; reconnecting is the core
        // stream's (paced, on a budget, with slow start). Refused here, the reconnection fails at once,
        // without a request to the server, and the core fails the stream.
        if self.requests.asked.swap(true, Ordering::SeqCst) {
            return Err(reconnection_refused());
        }
        let id = self.requests.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = oneshot::channel();
        self.requests
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, sender);
        let _forget = ForgetOnDrop(&self.requests, id);
        self.events.send(Event::Headers {
            request_id: id,
            after_auth_rejection: self.requests.auth_rejected.swap(false, Ordering::SeqCst),
        });
        receiver.await.unwrap_or_else(|_| Err(stream_ended()))
    }

    async fn invalidate(&self) {
        self.requests.auth_rejected.store(true, Ordering::SeqCst);
    }
}

/// The answer to a headers request of a stream that is over (not retried by the core).
fn stream_ended() -> ZerobusError {
    ZerobusError::InvalidStateError(format!(
        "{HEADERS_PROVIDER_MARKER}: the stream ended while headers were requested"
    ))
}

fn reconnection_refused() -> ZerobusError {
    ZerobusError::InvalidStateError(RECONNECTION_REFUSED.to_string())
}

/// True when the core failed because the binding refused its reconnection: the connection's real end is
/// what the core logged before (a close signal, or a retryable error).
pub fn is_reconnection_refusal(error: &ZerobusError) -> bool {
    matches!(error, ZerobusError::InvalidStateError(message) if message == RECONNECTION_REFUSED)
}
