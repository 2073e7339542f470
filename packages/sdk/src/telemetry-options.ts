import { ZerobusError } from "@zerobus/core";

/**
 * The providers of the SDK's `telemetry` option (README "Observability"): a `MeterProvider` and a
 * `TracerProvider` of `@opentelemetry/api`, e.g. from `@opentelemetry/sdk-metrics` and
 * `@opentelemetry/sdk-trace-node`. One omitted is the global one of `@opentelemetry/api` (a no-op until the
 * application registers one). Typed by what the SDK calls, so this declaration does not need
 * `@opentelemetry/api` installed.
 *
 * @example
 * ```ts
 * const sdk = new ZerobusSdk(endpoint, workspaceUrl, { telemetry: { meterProvider, tracerProvider } });
 * ```
 */
export interface TelemetryOptions {
  /** Where the metrics go (a `MeterProvider`). */
  meterProvider?: { getMeter(name: string, version?: string, options?: object): unknown } | undefined;
  /** Where the spans go (a `TracerProvider`); sampling is its business. */
  tracerProvider?: { getTracer(name: string, version?: string, options?: object): unknown } | undefined;
}

const telemetryKeys: readonly string[] = ["meterProvider", "tracerProvider"];

function checkProvider(value: unknown, key: string, method: string): void {
  if (value === undefined) return;
  const fn = (value as Record<string, unknown> | null)?.[method];
  if (typeof value !== "object" || value === null || typeof fn !== "function") {
    throw new ZerobusError(
      "invalid_argument",
      `option telemetry.${key} must be a ${key === "meterProvider" ? "MeterProvider" : "TracerProvider"} of @opentelemetry/api (an object with ${method}()), got ${describe(value)}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object without it" : typeof value;
}

/**
 * Validates the `telemetry` option: `undefined` or `false` (off), `true` (the global providers), or
 * {@link TelemetryOptions}. Returns what to hand to `loadTelemetry`, or `undefined` when off.
 */
export function checkTelemetry(value: unknown): true | TelemetryOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return true;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ZerobusError(
      "invalid_argument",
      `option telemetry must be true or { meterProvider?, tracerProvider? }, got ${describe(value)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!telemetryKeys.includes(key)) {
      throw new ZerobusError(
        "invalid_argument",
        `unknown option telemetry.${key} (known: ${telemetryKeys.join(", ")})`,
      );
    }
  }
  const { meterProvider, tracerProvider } = value as Record<string, unknown>;
  checkProvider(meterProvider, "meterProvider", "getMeter");
  checkProvider(tracerProvider, "tracerProvider", "getTracer");
  return value as TelemetryOptions;
}
