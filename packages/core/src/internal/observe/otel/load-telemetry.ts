import { ZerobusError } from "../../../zerobus-error.js";
import type { StreamObserverFactory } from "../stream-observer.js";
import type { OtelApi } from "./otel-api.js";
import type { TelemetryOption } from "./telemetry-option.js";

/** The message users see without `@opentelemetry/api` installed (README "Observability" quotes it). */
export const MISSING_OTEL_API = "telemetry needs @opentelemetry/api: npm install @opentelemetry/api";

const importOtelApi = (): Promise<unknown> => import("@opentelemetry/api");

/** Whether `error` says that module resolution found no package (not that the package itself threw). */
function notFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

/**
 * Loads the OpenTelemetry recorder for the SDK's `telemetry` option: `@opentelemetry/api` and the
 * recorder's code are imported here, at the first stream of an SDK with telemetry on, and never otherwise
 * (the build puts the recorder in a chunk of its own). Rejects with `failed_precondition` naming the
 * package to install when `@opentelemetry/api` cannot be found.
 *
 * @param importApi - imports `@opentelemetry/api` (a test makes it fail)
 * @example
 * ```ts
 * const registry = new StreamRegistry(loadBackend, { observer: () => loadTelemetry(true) });
 * ```
 */
export async function loadTelemetry(
  option: TelemetryOption,
  importApi: () => Promise<unknown> = importOtelApi,
): Promise<StreamObserverFactory> {
  let api: OtelApi;
  try {
    api = (await importApi()) as OtelApi;
  } catch (error) {
    if (!notFound(error)) throw ZerobusError.from(error);
    throw new ZerobusError("failed_precondition", MISSING_OTEL_API, { cause: error, retryable: false });
  }
  const { createOtelRecorder } = await import("./otel-recorder.js");
  return createOtelRecorder(api, option);
}
