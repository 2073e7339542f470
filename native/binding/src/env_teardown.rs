//! The addon's log forwarding is process-wide, while a logger belongs to the JS environment (the main thread
//! or a worker) that installed it: when that environment is torn down (a worker exits or is terminated), its
//! logger goes, so the core's log lines are no longer formatted for a function nobody can call. (A stream
//! needs nothing here: napi drops its `NativeStream` with the environment, which closes its command channel,
//! and the running stream then ends as if aborted; `sdk/test/native-workers.test.ts` checks it.)

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use napi::Env;

/// The generation of the logger each live environment installed last, keyed by its `napi_env` (removed by
/// the environment's cleanup hook, before the pointer could be reused).
fn loggers() -> &'static Mutex<HashMap<usize, u64>> {
    static LOGGERS: OnceLock<Mutex<HashMap<usize, u64>>> = OnceLock::new();
    LOGGERS.get_or_init(Mutex::default)
}

/// Records that `env` installed the logger of `generation` (see `log_forwarding::set_logger`); the logger
/// is cleared when `env` is torn down, unless another one replaced it by then.
pub fn register_logger(env: &Env, generation: u64) -> napi::Result<()> {
    let key = env.raw() as usize;
    let mut loggers = loggers().lock().unwrap_or_else(|e| e.into_inner());
    if loggers.insert(key, generation).is_none() {
        env.add_env_cleanup_hook(key, tear_down)?;
    }
    Ok(())
}

fn tear_down(key: usize) {
    let generation = loggers().lock().unwrap_or_else(|e| e.into_inner()).remove(&key);
    if let Some(generation) = generation {
        zerobus_native_helpers::log_forwarding::clear_logger(generation);
    }
}
