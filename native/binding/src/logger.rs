//! `setNativeLogger`: one process-wide JS logger for the core's tracing events, filtered by level in
//! Rust (see `zerobus_native_helpers::log_forwarding`).

use std::sync::Arc;

use napi::bindgen_prelude::Function;
use napi::Env;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use zerobus_native_helpers::log_forwarding::{self, LogRecord};
use zerobus_native_helpers::ErrorInfo;

use crate::errors::to_napi;

/// One log line for JS.
#[napi(object)]
pub struct NativeLogRecord {
    pub level: String,
    pub target: String,
    pub message: String,
}

type LogFunction = ThreadsafeFunction<LogRecord, (), NativeLogRecord, napi::Status, false, true>;

/// Sends the core's log events at `level` (`error`, `warn`, `info`, `debug`, `trace`, `off`) and above
/// to `log`; `null` stops forwarding. The function is weak: it never keeps the process alive.
#[napi]
pub fn set_native_logger(
    env: Env,
    level: String,
    log: Option<Function<NativeLogRecord, ()>>,
) -> napi::Result<()> {
    log_forwarding::install();
    let rank = log_forwarding::parse_level(&level).ok_or_else(|| {
        to_napi(&ErrorInfo::binding(
            "invalid_argument",
            format!("log level must be error, warn, info, debug, trace or off, got {level:?}"),
        ))
    })?;
    let Some(log) = log else {
        log_forwarding::set_logger(0, None);
        return Ok(());
    };
    let function: LogFunction = log
        .build_threadsafe_function::<LogRecord>()
        .callee_handled::<false>()
        .weak::<true>()
        .build_callback(|ctx| {
            Ok(NativeLogRecord {
                level: ctx.value.level.to_string(),
                target: ctx.value.target,
                message: ctx.value.message,
            })
        })?;
    let function = Arc::new(function);
    let generation = log_forwarding::set_logger(
        rank,
        Some(Arc::new(move |record| {
            function.call(record, ThreadsafeFunctionCallMode::NonBlocking);
        })),
    );
    // A worker's logger goes with the worker: nothing may call into a torn-down environment.
    crate::env_teardown::register_logger(&env, generation)
}
