//! One process-wide tracing layer: it forwards the core's log events to the JS logger (filtered by
//! level here, so nothing below the level crosses into JS) and routes lifecycle events to streams.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

use crate::error_info::RECONNECTION_REFUSED;
use crate::lifecycle::{self, BIND_TARGET, CORE_TARGET, STREAM_SPAN_NAME};

/// One log line for the JS logger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// `error`, `warn`, `info` or `debug` (trace is forwarded as `debug`).
    pub level: &'static str,
    pub target: String,
    /// The event's message followed by its other fields as `name=value`.
    pub message: String,
}

type LogSink = Arc<dyn Fn(LogRecord) + Send + Sync>;

/// 0 = off, 1 = error, 2 = warn, 3 = info, 4 = debug, 5 = trace.
static MAX_LEVEL: AtomicU8 = AtomicU8::new(0);

fn log_sink() -> &'static RwLock<Option<LogSink>> {
    static SINK: OnceLock<RwLock<Option<LogSink>>> = OnceLock::new();
    SINK.get_or_init(|| RwLock::new(None))
}

fn rank(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Parses a JS level name; `None` for anything else.
pub fn parse_level(name: &str) -> Option<u8> {
    match name {
        "off" | "silent" => Some(0),
        "error" => Some(1),
        "warn" => Some(2),
        "info" => Some(3),
        "debug" => Some(4),
        "trace" => Some(5),
        _ => None,
    }
}

/// Counts the loggers installed, so that a logger is removed only by whoever installed it.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Replaces the process-wide logger; `None` (or level 0) stops forwarding. Returns the new logger's
/// generation, for [`clear_logger`].
pub fn set_logger(level: u8, sink: Option<LogSink>) -> u64 {
    let enabled = sink.is_some();
    let mut current = log_sink().write().unwrap_or_else(|e| e.into_inner());
    *current = sink;
    MAX_LEVEL.store(if enabled { level.min(5) } else { 0 }, Ordering::SeqCst);
    GENERATION.fetch_add(1, Ordering::SeqCst) + 1
}

/// Stops forwarding if the logger in place is still the one of `generation` (its JS environment is being
/// torn down); a logger installed since then stays.
pub fn clear_logger(generation: u64) {
    let mut current = log_sink().write().unwrap_or_else(|e| e.into_inner());
    if GENERATION.load(Ordering::SeqCst) == generation {
        *current = None;
        MAX_LEVEL.store(0, Ordering::SeqCst);
    }
}

fn forwarded(metadata: &Metadata<'_>) -> bool {
    let level = rank(metadata.level());
    // Other crates (tonic, h2, hyper, rustls) are forwarded only at warn and above.
    level <= MAX_LEVEL.load(Ordering::Relaxed)
        && (metadata.target().starts_with(CORE_TARGET) || level <= 2)
}

/// The tracing layer of the binding. Install it once with [`install`].
pub struct ZerobusLayer;

struct StreamKey(u64);

#[derive(Default)]
struct Fields {
    message: String,
    stream_id: Option<String>,
    key: Option<u64>,
    rest: String,
}

impl Visit for Fields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "key" {
            self.key = Some(value);
        } else {
            let _ = write!(self.rest, " {}={}", field.name(), value);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.record(field, value.to_string());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.record(field, format!("{value:?}"));
    }
}

impl Fields {
    fn record(&mut self, field: &Field, value: String) {
        match field.name() {
            "message" => self.message = value,
            "stream_id" => {
                let _ = write!(self.rest, " stream_id={value}");
                self.stream_id = Some(value);
            }
            name => {
                let _ = write!(self.rest, " {name}={value}");
            }
        }
    }
}

impl<S> Layer<S> for ZerobusLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        if metadata.is_span()
            && (metadata.target().starts_with(CORE_TARGET) || metadata.name() == STREAM_SPAN_NAME)
        {
            Interest::always()
        } else {
            // Events depend on the logger's level, which can change at any time: asked every time.
            Interest::sometimes()
        }
    }

    fn enabled(&self, metadata: &Metadata<'_>, _: Context<'_, S>) -> bool {
        if metadata.is_span() {
            // The core's spans carry the stream key from the binding's span down to its events.
            return metadata.target().starts_with(CORE_TARGET) || metadata.name() == STREAM_SPAN_NAME;
        }
        metadata.target() == BIND_TARGET
            || (metadata.target().starts_with(CORE_TARGET) && rank(metadata.level()) <= 3)
            || forwarded(metadata)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != STREAM_SPAN_NAME {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let (Some(key), Some(span)) = (fields.key, ctx.span(id)) {
            span.extensions_mut().insert(StreamKey(key));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let metadata = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        if metadata.target() == BIND_TARGET {
            // Tag the root of the current trace (the core's supervisor span) with the stream's key.
            let root = ctx.event_scope(event).and_then(|scope| scope.from_root().next());
            if let (Some(root), Some(key)) = (root, fields.key) {
                root.extensions_mut().replace(StreamKey(key));
            }
            return;
        }
        if metadata.target().starts_with(CORE_TARGET) {
            let key = ctx.event_scope(event).and_then(|scope| {
                scope
                    .from_root()
                    .find_map(|span| span.extensions().get::<StreamKey>().map(|k| k.0))
            });
            if let (Some(key), Some(lifecycle_event)) = (
                key,
                lifecycle::classify(&fields.message, fields.stream_id.as_deref()),
            ) {
                lifecycle::dispatch(key, lifecycle_event);
            }
        }
        // The core's account of the reconnection the binding refused (attempt failed, recovery given up,
        // records retained) describes our hand-over, not a problem: the real end was logged before it.
        if forwarded(metadata) && !fields.message.contains(RECONNECTION_REFUSED) {
            let sink = log_sink().read().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(sink) = sink {
                sink(LogRecord {
                    level: match rank(metadata.level()) {
                        1 => "error",
                        2 => "warn",
                        3 => "info",
                        _ => "debug",
                    },
                    target: metadata.target().to_string(),
                    message: format!("{}{}", fields.message, fields.rest),
                });
            }
        }
    }
}

/// Installs the layer as the process's global subscriber (once; later calls do nothing). Returns
/// false when another global subscriber was there first (lifecycle events then do not arrive).
pub fn install() -> bool {
    use tracing_subscriber::layer::SubscriberExt;
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        let subscriber = tracing_subscriber::registry().with(ZerobusLayer);
        tracing::subscriber::set_global_default(subscriber).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{register, Lifecycle};
    use std::sync::Mutex;
    use tracing_subscriber::layer::SubscriberExt;

    // The logger is process-wide; tests that touch it run one at a time.
    static LOGGER_LOCK: Mutex<()> = Mutex::new(());

    fn with_layer(test: impl FnOnce()) {
        let subscriber = tracing_subscriber::registry().with(ZerobusLayer);
        tracing::subscriber::with_default(subscriber, test);
    }

    #[test]
    fn routes_core_lifecycle_events_to_the_stream_of_the_enclosing_span() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = Arc::clone(&seen);
        let registration = register(Arc::new(move |e| sink_seen.lock().unwrap().push(e)));
        with_layer(|| {
            let outer = tracing::info_span!("zerobus_native_stream", key = registration.key());
            let _outer = outer.enter();
            tracing::info!(target: "databricks_zerobus_ingest_sdk::stream", stream_id = %"s-0", "Successfully created stream");
            drop(_outer);
        });
        assert_eq!(
            seen.lock().unwrap().as_slice(),
            &[Lifecycle::Connected { stream_id: "s-0".into(), recovered: false }]
        );
    }

    #[test]
    fn routes_events_of_a_spawned_supervisor_once_the_headers_call_bound_it() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink_seen = Arc::clone(&seen);
        let registration = register(Arc::new(move |e| sink_seen.lock().unwrap().push(e)));
        with_layer(|| {
            // The core's supervisor span is a root: it is created inside a spawned task.
            let supervisor =
                tracing::debug_span!(target: "databricks_zerobus_ingest_sdk::stream", "supervisor_task");
            let _supervisor = supervisor.enter();
            tracing::info!(target: "databricks_zerobus_ingest_sdk::stream", stream_id = %"early", "Successfully created stream");
            {
                let connection = tracing::debug_span!(target: "databricks_zerobus_ingest_sdk::conn", "create_stream_connection_inner");
                let _connection = connection.enter();
                crate::lifecycle::bind_current_trace(registration.key());
            }
            tracing::info!(target: "databricks_zerobus_ingest_sdk::stream", stream_id = %"s-9", "Successfully created stream");
            tracing::info!(target: "databricks_zerobus_ingest_sdk::stream", pending_batches = 2u64, "Stream lost; starting recovery");
            tracing::info!(target: "other_crate", stream_id = %"x", "Successfully created stream");
        });
        assert_eq!(
            seen.lock().unwrap().as_slice(),
            &[
                Lifecycle::Connected { stream_id: "s-9".into(), recovered: false },
                Lifecycle::RecoveryStarted
            ]
        );
    }

    #[test]
    fn events_outside_a_stream_span_are_not_routed() {
        let seen = Arc::new(Mutex::new(0));
        let sink_seen = Arc::clone(&seen);
        let _registration = register(Arc::new(move |_| *sink_seen.lock().unwrap() += 1));
        with_layer(|| {
            tracing::info!(target: "databricks_zerobus_ingest_sdk::stream", stream_id = %"s", "Successfully created stream");
        });
        assert_eq!(*seen.lock().unwrap(), 0);
    }

    #[test]
    fn forwards_only_events_at_or_above_the_level() {
        let _guard = LOGGER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let records = Arc::new(Mutex::new(Vec::new()));
        let sink_records = Arc::clone(&records);
        set_logger(2, Some(Arc::new(move |r| sink_records.lock().unwrap().push(r))));
        with_layer(|| {
            tracing::info!(target: "databricks_zerobus_ingest_sdk::x", "not forwarded");
            tracing::warn!(target: "databricks_zerobus_ingest_sdk::x", attempt = 2u64, "attempt failed");
            tracing::debug!(target: "h2::codec", "not forwarded either");
            tracing::error!(target: "h2::codec", "broken");
            tracing::error!(
                target: "databricks_zerobus_ingest_sdk::x",
                "Recovery failed; giving up stream re-creation: {}",
                RECONNECTION_REFUSED
            );
        });
        set_logger(0, None);
        let records = records.lock().unwrap();
        assert_eq!(records.len(), 2, "{records:?}");
        assert_eq!(records[0].level, "warn");
        assert_eq!(records[0].message, "attempt failed attempt=2");
        assert_eq!(records[1].level, "error");
    }

    #[test]
    fn a_logger_is_cleared_only_by_its_own_generation() {
        let _guard = LOGGER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let first = set_logger(3, Some(Arc::new(|_| {})));
        let second = set_logger(3, Some(Arc::new(|_| {})));
        clear_logger(first);
        assert_eq!(MAX_LEVEL.load(Ordering::SeqCst), 3, "a newer logger stays");
        clear_logger(second);
        assert_eq!(MAX_LEVEL.load(Ordering::SeqCst), 0);
        assert!(log_sink().read().unwrap().is_none());
    }

    #[test]
    fn forwards_nothing_without_a_logger() {
        let _guard = LOGGER_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        set_logger(5, None);
        assert_eq!(MAX_LEVEL.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn parses_js_level_names() {
        assert_eq!(parse_level("debug"), Some(4));
        assert_eq!(parse_level("silent"), Some(0));
        assert_eq!(parse_level("verbose"), None);
    }
}
