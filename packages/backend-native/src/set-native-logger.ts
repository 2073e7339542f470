import type { Logger } from "@zerobus/core";
import { loadNative } from "./load-native.js";

/** The levels `setNativeLogger` filters by (inside Rust, so nothing below the level crosses into JS). */
export type NativeLogLevel = "error" | "warn" | "info" | "debug" | "trace";

/**
 * Sends the Rust core's log events at `level` and above to `logger` (one logger per process; the
 * SDK installs the logger of the first SDK created with one). `undefined` stops forwarding. Throws
 * `native_unavailable` when the addon cannot load.
 *
 * @example
 * ```ts
 * setNativeLogger({ debug: console.debug, info: console.info, warn: console.warn, error: console.error }, "warn");
 * ```
 */
export function setNativeLogger(logger: Logger | undefined, level: NativeLogLevel = "info"): void {
  const addon = loadNative();
  if (logger === undefined) {
    addon.setNativeLogger("off", null);
    return;
  }
  addon.setNativeLogger(level, (record) => {
    const write =
      record.level === "error" || record.level === "warn" || record.level === "info" ? record.level : "debug";
    try {
      logger[write](record.message, { target: record.target, backend: "native" });
    } catch {
      // A logger that throws must not break the stream that logged.
    }
  });
}
