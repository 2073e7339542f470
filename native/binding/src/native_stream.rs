//! `NativeStream`: one core stream under one engine. Batches are queued synchronously (one napi call
//! each) and fed to the core in order by a per-stream task on the core's runtime; a second future
//! waits on the core for a terminal failure. Nothing here blocks the JS thread.

use std::sync::{Arc, Mutex};

use databricks_zerobus_ingest_sdk::{AckCallback, OffsetId, ZerobusError, ZerobusStream};
use napi::bindgen_prelude::{Buffer, Function, Uint32ArraySlice, Uint8ArraySlice};
use napi_derive::napi;
use tokio::sync::{mpsc, oneshot, watch};
use tracing::Instrument;
use zerobus_native_helpers::failure_text::parse_core_error;
use zerobus_native_helpers::held_records::{HeldRecords, PackedRecords};
use zerobus_native_helpers::lifecycle::{self, Registration};
use zerobus_native_helpers::{ErrorInfo, ErrorOrigin, Lifecycle, StreamSettings, TlsSettings};

use crate::errors::{to_napi, NativeErrorInfo};
use crate::events::{Event, EventFunction, EventSender, NativeEvent};
use crate::headers::{is_reconnection_refusal, HeadersRequests, JsHeadersProvider};
use crate::json_chunks::{pack_chunks, JsChunk};

/// Settings of one stream (validated by the TS layer before they get here).
#[napi(object)]
pub struct NativeStreamConfig {
    pub endpoint: String,
    pub table_name: String,
    /// Serialized `DescriptorProto` for Proto streams; absent for JSON streams.
    pub descriptor_proto: Option<Buffer>,
    /// PEM certificates to trust in addition to the system roots.
    pub ca_pem: Option<String>,
    pub sdk_identifier: String,
    pub application_name: Option<String>,
    pub max_inflight_records: u32,
    pub max_message_bytes: u32,
    pub recovery: bool,
    pub recovery_timeout_ms: u32,
    pub recovery_backoff_ms: u32,
    pub recovery_retries: u32,
    pub server_lack_of_ack_timeout_ms: u32,
    pub stream_paused_max_wait_time_ms: Option<u32>,
}

enum Command {
    Json(Vec<String>),
    /// Held too: the core's strings are made from it on the stream's task, off the JS thread.
    JsonPacked(Arc<PackedRecords>),
    Proto(Vec<Vec<u8>>),
    Close(oneshot::Sender<Result<(), ErrorInfo>>),
}

/// Forwards the core's per-batch acks to the coalescer.
struct AckForwarder(EventSender);

impl AckCallback for AckForwarder {
    fn on_ack(&self, offset_id: OffsetId) {
        crate::test_hooks::delay_ack();
        self.0.ack(offset_id);
    }

    // Failures are reported once, from the failure watcher, with the structured error.
    fn on_error(&self, _offset_id: OffsetId, _error_message: &str) {}
}

/// One stream of the core, driven from JS.
#[napi]
pub struct NativeStream {
    settings: Mutex<Option<StreamSettings>>,
    commands: mpsc::UnboundedSender<Command>,
    receiver: Mutex<Option<mpsc::UnboundedReceiver<Command>>>,
    events: EventSender,
    headers: Arc<HeadersRequests>,
    aborted: watch::Sender<bool>,
    /// Every request's records until the TS layer releases them (acknowledged, or read back).
    held: Mutex<HeldRecords>,
    json: bool,
}

#[napi]
impl NativeStream {
    /// Prepares a stream (no I/O); `onEvent` receives every event of it (see `NativeEvent`).
    #[napi(constructor)]
    pub fn new(config: NativeStreamConfig, on_event: Function<NativeEvent, ()>) -> napi::Result<Self> {
        zerobus_native_helpers::log_forwarding::install();
        let acks = Arc::new(zerobus_native_helpers::AckCoalescer::default());
        let callback_acks = Arc::clone(&acks);
        let function: EventFunction = on_event
            .build_threadsafe_function::<Event>()
            .callee_handled::<false>()
            .build_callback(move |ctx| Ok(NativeEvent::from_event(ctx.value, &callback_acks)))?;
        let (commands, receiver) = mpsc::unbounded_channel();
        let json = config.descriptor_proto.is_none();
        let settings = StreamSettings {
            endpoint: config.endpoint,
            table_name: config.table_name,
            descriptor_proto: config.descriptor_proto.map(|b| b.to_vec()),
            tls: TlsSettings {
                ca_pem: config.ca_pem.map(String::into_bytes),
            },
            sdk_identifier: config.sdk_identifier,
            application_name: config.application_name,
            max_inflight_records: config.max_inflight_records,
            max_message_bytes: config.max_message_bytes,
            recovery: config.recovery,
            recovery_timeout_ms: config.recovery_timeout_ms,
            recovery_backoff_ms: config.recovery_backoff_ms,
            recovery_retries: config.recovery_retries,
            server_lack_of_ack_timeout_ms: config.server_lack_of_ack_timeout_ms,
            stream_paused_max_wait_time_ms: config.stream_paused_max_wait_time_ms,
        };
        Ok(Self {
            settings: Mutex::new(Some(settings)),
            commands,
            receiver: Mutex::new(Some(receiver)),
            events: EventSender::new(function, acks),
            headers: Arc::default(),
            aborted: watch::Sender::new(false),
            held: Mutex::default(),
            json,
        })
    }

    /// Connects and creates the stream (with the core's retries); resolves once the server answered,
    /// with the server's stream id (null if the core did not report it).
    #[napi]
    pub async fn open(&self) -> napi::Result<Option<String>> {
        let settings = self.settings.lock().unwrap_or_else(|e| e.into_inner()).take();
        let receiver = self.receiver.lock().unwrap_or_else(|e| e.into_inner()).take();
        let (Some(settings), Some(receiver)) = (settings, receiver) else {
            return Err(to_napi(&ErrorInfo::binding("invalid_state", "the stream was already opened")));
        };
        let lifecycle_events = self.events.clone();
        // The creation's own event is dispatched synchronously while `build` runs, so the id is known
        // when it returns; events through the thread-safe function may arrive after `open` resolves.
        let created_id: Arc<Mutex<Option<String>>> = Arc::default();
        let sink_created_id = Arc::clone(&created_id);
        // The error text of the last retryable failure the core logged (it then reconnects, which the
        // headers provider refuses): the failure to report instead of that refusal.
        let last_failure: Arc<Mutex<Option<String>>> = Arc::default();
        let sink_last_failure = Arc::clone(&last_failure);
        let registration = lifecycle::register(Arc::new(move |event| match event {
            Lifecycle::FailureDetected(text) => {
                *sink_last_failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(text);
            }
            event => {
                if let Lifecycle::Connected { stream_id, recovered: false } = &event {
                    *sink_created_id.lock().unwrap_or_else(|e| e.into_inner()) = Some(stream_id.clone());
                }
                lifecycle_events.send(Event::Lifecycle(event));
            }
        }));
        let span = tracing::info_span!("zerobus_native_stream", key = registration.key());
        let provider = Arc::new(JsHeadersProvider {
            requests: Arc::clone(&self.headers),
            events: self.events.clone(),
            stream_key: registration.key(),
        });
        let ack_callback: Arc<dyn AckCallback> = Arc::new(AckForwarder(self.events.clone()));
        let build_span = span.clone();
        // Its own task, which owns the SDK the builder borrows: an abandoned creation is left to finish
        // rather than dropped midway (the core has spawned its supervisor by then, and only dropping the
        // stream it makes stops that); the task's result, the stream, is dropped when it ends.
        let mut creation = tokio::spawn(async move {
            let sdk = settings.build_sdk()?;
            let builder = settings
                .configure(sdk.stream_builder())?
                .headers_provider(provider)
                .ack_callback(ack_callback);
            builder
                .build()
                .instrument(build_span)
                .await
                .map_err(|e| ErrorInfo::from_core(&e, ErrorOrigin::Create))
        });
        let mut aborted = self.aborted.subscribe();
        let created = tokio::select! {
            joined = &mut creation => joined.unwrap_or_else(|_| {
                Err(ErrorInfo::binding("internal", "stream creation stopped unexpectedly"))
            }),
            _ = aborted.wait_for(|a| *a) => {
                // No answer will come for its headers any more: the creation winds down at once.
                self.headers.close();
                Err(ErrorInfo::binding("cancelled", "stream creation was abandoned"))
            }
        };
        // Every way out before `drive` owns the events releases them, or the process could not exit.
        let stream = created.map_err(|e| {
            self.events.release();
            to_napi(&e)
        })?;
        let events = self.events.clone();
        napi::bindgen_prelude::spawn(
            drive(stream, receiver, events, registration, aborted, last_failure).instrument(span),
        );
        let stream_id = created_id.lock().unwrap_or_else(|e| e.into_inner()).take();
        Ok(stream_id)
    }

    /// Queues one JSON batch (one core ingest call, one wire request). This stream keeps a packed copy of
    /// its records until `releaseHeld`, so the caller may drop its own: `readBackJson` gives them back.
    /// Held even when the stream has ended (the error is then `stream_closed`).
    #[napi]
    pub fn ingest_json(&self, records: Vec<String>) -> napi::Result<()> {
        self.check_kind(true)?;
        self.held().hold(records.iter().map(String::as_bytes));
        self.queue(Command::Json(records))
    }

    /// Queues one JSON batch given as a few chunks of its records' text, each joined from consecutive
    /// records (a record never spans two), and each record's UTF-8 length: a few strings cross into Rust
    /// instead of one per record, written into the one buffer they are held in. Returns false, queuing and
    /// holding nothing, when the lengths do not cut the chunks into their records (a lone surrogate at a
    /// record's edge inside a chunk): the caller then passes the records to `ingestJson`.
    #[napi(ts_args_type = "chunks: Array<string>, lengths: Uint32Array")]
    pub fn ingest_json_chunks(&self, chunks: Vec<JsChunk>, lengths: Uint32ArraySlice) -> napi::Result<bool> {
        self.check_kind(true)?;
        let Some(packed) = pack_chunks(&chunks, &lengths)? else {
            return Ok(false);
        };
        let packed = Arc::new(packed);
        self.held().hold_packed(Arc::clone(&packed));
        self.queue(Command::JsonPacked(packed))?;
        Ok(true)
    }

    /// Queues one Proto batch, held like a JSON one (`readBackProto`).
    #[napi]
    pub fn ingest_proto(&self, records: Vec<Uint8ArraySlice>) -> napi::Result<()> {
        self.check_kind(false)?;
        self.held().hold(records.iter().map(|r| &r[..]));
        let for_core = records.iter().map(|r| r.to_vec()).collect();
        self.queue(Command::Proto(for_core))
    }

    /// The records of the held requests `from..=to` (the order of `ingestJson` calls, from 0).
    #[napi]
    pub fn read_back_json(&self, from: i64, to: i64) -> napi::Result<Vec<Vec<String>>> {
        self.read_back(from, to, |r| String::from_utf8_lossy(r).into_owned())
    }

    /// The records of the held requests `from..=to` (the order of `ingestProto` calls, from 0).
    #[napi]
    pub fn read_back_proto(&self, from: i64, to: i64) -> napi::Result<Vec<Vec<Buffer>>> {
        self.read_back(from, to, |r| Buffer::from(r.to_vec()))
    }

    /// Stops holding the requests up to `to` (acknowledged); a negative `to` releases everything held.
    #[napi]
    pub fn release_held(&self, to: i64) {
        let mut held = self.held();
        if to < 0 {
            held.release_all();
        } else {
            held.release_to(to);
        }
    }

    /// Answers a `headers` event: `headers` as name/value pairs, or the provider's failure.
    #[napi]
    pub fn provide_headers(
        &self,
        request_id: u32,
        headers: Option<Vec<Vec<String>>>,
        error: Option<NativeErrorInfo>,
    ) {
        let reply = match (headers, error) {
            (_, Some(error)) => Err((error.retryable, error.message)),
            (Some(pairs), None) => Ok(pairs
                .into_iter()
                .filter_map(|pair| match <[String; 2]>::try_from(pair) {
                    Ok([name, value]) => Some((name, value)),
                    Err(_) => None,
                })
                .collect()),
            (None, None) => Err((false, "no headers were given".to_string())),
        };
        self.headers.answer(request_id, reply);
    }

    /// Closes the core stream after every queued batch went to it; call once everything is acknowledged.
    #[napi]
    pub async fn close(&self) -> napi::Result<()> {
        let (reply, result) = oneshot::channel();
        if self.commands.send(Command::Close(reply)).is_err() {
            return Ok(()); // the stream already ended (failed or aborted)
        }
        match result.await {
            Ok(Ok(())) | Err(_) => Ok(()),
            Ok(Err(info)) => Err(to_napi(&info)),
        }
    }

    /// Drops the core stream at once (abandoned creation, failed flush, backend close).
    #[napi]
    pub fn abort(&self) {
        self.aborted.send_replace(true);
        self.headers.close();
        if self.receiver.lock().unwrap_or_else(|e| e.into_inner()).is_some() {
            self.events.release(); // never opened: no task will release it
        }
    }
}

/// A read-back of requests that are not held: a bug of the caller, never a reason to invent records.
fn not_held(from: i64, to: i64) -> napi::Error {
    to_napi(&ErrorInfo::binding(
        "internal",
        format!("requests {from}..={to} are not held by this native stream"),
    ))
}

impl NativeStream {
    fn read_back<T>(&self, from: i64, to: i64, convert: impl Fn(&[u8]) -> T) -> napi::Result<Vec<Vec<T>>> {
        let held = self.held();
        let requests = held.read(from, to).ok_or_else(|| not_held(from, to))?;
        Ok(requests.into_iter().map(|records| records.into_iter().map(&convert).collect()).collect())
    }

    fn held(&self) -> std::sync::MutexGuard<'_, HeldRecords> {
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn check_kind(&self, json: bool) -> napi::Result<()> {
        if json != self.json {
            return Err(to_napi(&ErrorInfo::binding(
                "invalid_argument",
                "record kind does not match the stream's record type",
            )));
        }
        Ok(())
    }

    fn queue(&self, command: Command) -> napi::Result<()> {
        self.commands.send(command).map_err(|_| {
            to_napi(&ErrorInfo::binding("stream_closed", "the native stream has ended"))
        })
    }
}

enum Outcome {
    Close(oneshot::Sender<Result<(), ErrorInfo>>),
    Failed(ErrorInfo),
    Aborted,
}

/// Resolves with the core's terminal error: the core's waiters return it once the stream failed.
async fn failure_of(stream: Arc<ZerobusStream>) -> ZerobusError {
    loop {
        if let Err(error) = stream.wait_for_offset(OffsetId::MAX).await {
            return error;
        }
    }
}

/// The highest core offset the failed core counted as acknowledged, up to `last_taken`. A failed core
/// answers `wait_for_offset` at once (Ok at or below what it counted, its error above), so a binary search
/// reads the count without copying the unacknowledged records as `get_unacked_batches` would.
async fn acked_up_to(stream: &ZerobusStream, last_taken: Option<OffsetId>) -> Option<OffsetId> {
    let (mut acked, mut above) = (None, last_taken? + 1);
    let mut low = 0;
    while low < above {
        let middle = low + (above - low) / 2;
        if stream.wait_for_offset(middle).await.is_ok() {
            acked = Some(middle);
            low = middle + 1;
        } else {
            above = middle;
        }
    }
    acked
}

/// What ended a live stream. When the core failed only because its reconnection was refused, the real end
/// came before: a retryable error it logged (rebuilt from that text), or the server's close signal (already
/// reported as a `closeSignal` event; the failure is what a stream that missed it sees).
fn live_failure(error: &ZerobusError, last_failure: &Mutex<Option<String>>) -> ErrorInfo {
    if !is_reconnection_refusal(error) {
        return ErrorInfo::from_core(error, ErrorOrigin::LiveStream);
    }
    match last_failure.lock().unwrap_or_else(|e| e.into_inner()).take() {
        Some(text) => ErrorInfo::from_core(&parse_core_error(&text), ErrorOrigin::LiveStream),
        None => ErrorInfo::binding(
            "unavailable",
            "the server closed the stream after its close signal (the stream paused, then left it)",
        ),
    }
}

async fn drive(
    stream: ZerobusStream,
    mut commands: mpsc::UnboundedReceiver<Command>,
    events: EventSender,
    registration: Registration,
    mut aborted: watch::Receiver<bool>,
    last_failure: Arc<Mutex<Option<String>>>,
) {
    let stream = Arc::new(stream);
    // The core offset of the last batch the core took: the failure path reads how far acks got up to it.
    let mut last_taken: Option<OffsetId> = None;
    let outcome = {
        let failure = failure_of(Arc::clone(&stream));
        tokio::pin!(failure);
        loop {
            let command = tokio::select! {
                biased;
                _ = aborted.wait_for(|a| *a) => break Outcome::Aborted,
                error = &mut failure => {
                    break Outcome::Failed(live_failure(&error, &last_failure));
                }
                command = commands.recv() => command,
            };
            let result = match command {
                None => break Outcome::Aborted,
                Some(Command::Close(reply)) => break Outcome::Close(reply),
                // The core may make a batch wait for room (its own in-flight cap): an abort must still
                // end the stream then, or a close whose flush timed out would leave it running.
                Some(Command::Json(records)) => tokio::select! {
                    biased;
                    _ = aborted.wait_for(|a| *a) => break Outcome::Aborted,
                    result = stream.ingest_records_offset(records) => result,
                },
                Some(Command::JsonPacked(records)) => tokio::select! {
                    biased;
                    _ = aborted.wait_for(|a| *a) => break Outcome::Aborted,
                    result = stream.ingest_records_offset(records.json_strings()) => result,
                },
                Some(Command::Proto(records)) => tokio::select! {
                    biased;
                    _ = aborted.wait_for(|a| *a) => break Outcome::Aborted,
                    result = stream.ingest_records_offset(records) => result,
                },
            };
            // A refused batch leaves the core's offsets behind the engine's: the stream cannot go on.
            // When the core itself has failed, the failure future reports the real cause next.
            match result {
                Ok(offset) => last_taken = offset.or(last_taken),
                Err(error) => {
                    if !stream.is_closed() {
                        break Outcome::Failed(ErrorInfo::from_core(&error, ErrorOrigin::Call));
                    }
                }
            }
        }
    };
    match outcome {
        Outcome::Close(reply) => {
            let result = match Arc::try_unwrap(stream) {
                Ok(mut stream) => stream
                    .close()
                    .await
                    .map_err(|e| ErrorInfo::from_core(&e, ErrorOrigin::Call)),
                Err(_) => Ok(()),
            };
            let _ = reply.send(result);
        }
        Outcome::Failed(info) => {
            // Acks the core received before failing may still be queued on its callback task, which
            // dropping the stream ends: the stream would take those records as lost and send them again.
            if let Some(acked) = acked_up_to(&stream, last_taken).await {
                events.ack(acked);
            }
            drop(stream);
            // Later close calls find the channel closed and resolve: the TS layer holds the failure.
            events.send(Event::Failed(info));
        }
        Outcome::Aborted => drop(stream),
    }
    drop(registration);
    events.release();
}
