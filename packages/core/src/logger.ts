import { ZerobusError } from "./zerobus-error.js";

/**
 * Where the SDK writes diagnostics: `console`, or any object with these four methods taking
 * `(message, fields)`. Receives no secrets: tokens and client secrets are never logged.
 *
 * pino and bunyan loggers fit this type too, but take `(fields, message)`; {@link toLogger} recognises
 * them and swaps the arguments, so their fields arrive as fields (the SDK calls it on its `logger` option).
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const ignore = (): void => {};

/** A logger that drops everything: the default. */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});

const levels = ["debug", "info", "warn", "error"] as const;
type Level = (typeof levels)[number];
type Method = (this: unknown, ...args: unknown[]) => void;

/** pino marks every logger (children through their prototype) with its global serializers symbol. */
const pinoMark = Symbol.for("pino.serializers");

/**
 * The loggers that take `(fields, message)`. pino: its marker symbol. bunyan: `child()`, `level()` as a
 * method (pino's and winston's `level` is a string) and its `streams` array. winston and `console` take
 * `(message, meta)` and stay as they are.
 */
function fieldsFirst(logger: object): "pino" | "bunyan" | undefined {
  const candidate = logger as Record<PropertyKey, unknown>;
  if (typeof candidate.child !== "function") return undefined;
  if (pinoMark in logger) return "pino";
  if (typeof candidate.level === "function" && Array.isArray(candidate.streams)) return "bunyan";
  return undefined;
}

/** pino and bunyan serialise an Error (message, stack) only under `err`; under `error` it prints as `{}`. */
function withErrKey(fields: Record<string, unknown>): Record<string, unknown> {
  if (!(fields.error instanceof Error) || "err" in fields) return fields;
  const { error, ...rest } = fields;
  return { ...rest, err: error };
}

/**
 * Checks a user-supplied logger and returns one the SDK can call as `(message, fields)`. pino and bunyan
 * loggers (detected, see {@link Logger}) are wrapped so their fields keep their keys in the JSON line;
 * anything else with `debug`, `info`, `warn` and `error` methods (`console`, winston) is used as is.
 * Anything else is refused with `invalid_argument` naming `option` and what is missing.
 *
 * @example
 * ```ts
 * const logger = toLogger(pino(), "logger"); // logger.info("stream opened", { table }) → {"table":…,"msg":"stream opened"}
 * ```
 */
export function toLogger(candidate: unknown, option = "logger"): Logger {
  if (typeof candidate === "function") {
    throw new ZerobusError(
      "invalid_argument",
      `option ${option} must be a logger object such as console or a pino logger, not a function (pass the object, not one of its methods)`,
    );
  }
  if (typeof candidate !== "object" || candidate === null) {
    throw new ZerobusError(
      "invalid_argument",
      `option ${option} must be a logger object such as console or a pino logger, got ${candidate === null ? "null" : typeof candidate}`,
    );
  }
  const methods = candidate as Record<string, unknown>;
  const missing = levels.filter((level) => typeof methods[level] !== "function");
  if (missing.length > 0) {
    throw new ZerobusError(
      "invalid_argument",
      `option ${option} must have debug, info, warn and error methods (as console, pino and bunyan loggers do); it has no ${missing.join(", ")}`,
    );
  }
  if (candidate === silentLogger || fieldsFirst(candidate) === undefined) return candidate as Logger;
  const call = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    // A method call, not a detached function: pino's and bunyan's methods read their logger from `this`.
    const method = methods[level] as Method;
    if (fields === undefined) method.call(candidate, message);
    else method.call(candidate, withErrKey(fields), message);
  };
  return Object.freeze({
    debug: call("debug"),
    info: call("info"),
    warn: call("warn"),
    error: call("error"),
  });
}
