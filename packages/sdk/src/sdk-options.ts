import type { Logger } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import { MAX_TIMER_MS } from "@zerobus/core/internal";
import type { TelemetryOptions } from "./telemetry-options.js";
import { checkTelemetry } from "./telemetry-options.js";

/** Which connection layer carries the streams. */
export type BackendChoice = "auto" | "native" | "js";

/** The third argument of the `ZerobusSdk` constructor. */
export interface ZerobusSdkOptions {
  /** `auto` (default, or `ZEROBUS_BACKEND`) prefers the native addon and falls back to js. */
  backend?: BackendChoice;
  /** Extra CA certificates (PEM) to trust; TLS is always on for `https://`. */
  tls?: { ca?: string | Uint8Array };
  /** Required for `http://` endpoints (local mock servers): the token then travels in plaintext. */
  allowInsecure?: boolean;
  /** The workspace id for OAuth; else the first label of the endpoint host. */
  workspaceId?: string;
  /** Added to the user agent. */
  applicationName?: string;
  /**
   * Diagnostics; never receives secrets. `console`, or a pino or bunyan logger: those are recognised and
   * given `(fields, message)`, their order, so fields stay fields (see `toLogger` of `@zerobus/core`).
   */
  logger?: Logger;
  /** HTTP/2 keepalive ping interval; none by default (servers may answer frequent pings with GOAWAY). */
  keepaliveMs?: number;
  /**
   * OpenTelemetry metrics and traces of every stream (README "Observability"); off by default, and then
   * nothing of OpenTelemetry is loaded. `true`: the global providers of `@opentelemetry/api`; or the
   * providers to use. Needs `@opentelemetry/api` installed (the first stream rejects with
   * `failed_precondition` without it).
   */
  telemetry?: boolean | TelemetryOptions;
}

/** Environment variable that sets the default backend. */
export const ZEROBUS_BACKEND_ENV = "ZEROBUS_BACKEND";

const backendChoices: readonly BackendChoice[] = ["auto", "native", "js"];
/** Every option of {@link ZerobusSdkOptions}: a misspelt one is refused rather than ignored. */
const sdkOptionKeys: readonly string[] = [
  "backend",
  "tls",
  "allowInsecure",
  "workspaceId",
  "applicationName",
  "logger",
  "keepaliveMs",
  "telemetry",
];

/** Validates the constructor options, refusing unknown values with `invalid_argument`. */
export function checkSdkOptions(options: unknown): ZerobusSdkOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null) {
    throw new ZerobusError("invalid_argument", "ZerobusSdk options must be an object");
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!sdkOptionKeys.includes(key)) {
      throw new ZerobusError(
        "invalid_argument",
        `unknown ZerobusSdk option ${JSON.stringify(key)} (known: ${sdkOptionKeys.join(", ")})`,
      );
    }
  }
  if (o.backend !== undefined && !backendChoices.includes(o.backend as BackendChoice)) {
    throw new ZerobusError(
      "invalid_argument",
      `option backend must be "auto", "native" or "js", got ${JSON.stringify(o.backend)}`,
    );
  }
  if (o.allowInsecure !== undefined && typeof o.allowInsecure !== "boolean") {
    throw new ZerobusError("invalid_argument", "option allowInsecure must be a boolean");
  }
  for (const key of ["workspaceId", "applicationName"] as const) {
    if (o[key] !== undefined && (typeof o[key] !== "string" || o[key] === "")) {
      throw new ZerobusError("invalid_argument", `option ${key} must be a non-empty string`);
    }
  }
  if (
    o.keepaliveMs !== undefined &&
    (!Number.isInteger(o.keepaliveMs) ||
      (o.keepaliveMs as number) < 1 ||
      (o.keepaliveMs as number) > MAX_TIMER_MS)
  ) {
    throw new ZerobusError(
      "invalid_argument",
      `option keepaliveMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`,
    );
  }
  if (o.tls !== undefined) {
    const ca = (o.tls as { ca?: unknown } | null)?.ca;
    if (
      typeof o.tls !== "object" ||
      o.tls === null ||
      Object.keys(o.tls).some((key) => key !== "ca") ||
      (ca !== undefined && typeof ca !== "string" && !(ca instanceof Uint8Array))
    ) {
      throw new ZerobusError("invalid_argument", "option tls must be { ca?: string | Uint8Array }");
    }
  }
  checkTelemetry(o.telemetry);
  // The logger is checked (and pino or bunyan adapted) by toLogger in the constructor.
  return o as ZerobusSdkOptions;
}

/** The backend asked for: the option, else `ZEROBUS_BACKEND`, else `auto`. */
export function requestedBackend(options: ZerobusSdkOptions): BackendChoice {
  if (options.backend) return options.backend;
  const fromEnv = process.env[ZEROBUS_BACKEND_ENV]?.trim().toLowerCase();
  if (!fromEnv) return "auto";
  if (!backendChoices.includes(fromEnv as BackendChoice)) {
    throw new ZerobusError(
      "invalid_argument",
      `${ZEROBUS_BACKEND_ENV} must be auto, native or js, got ${JSON.stringify(fromEnv)}`,
    );
  }
  return fromEnv as BackendChoice;
}
