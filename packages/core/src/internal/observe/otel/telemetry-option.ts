/**
 * The SDK's `telemetry` option as core takes it (the SDK validates it): `true` for the global providers of
 * `@opentelemetry/api`, or the providers to use (an omitted one: the global). Typed structurally so that
 * no declaration of ours names `@opentelemetry/api`, an optional peer dependency.
 */
export type TelemetryOption =
  | true
  | {
      readonly meterProvider?: TelemetryMeterProvider | undefined;
      readonly tracerProvider?: TelemetryTracerProvider | undefined;
    };

/** What the recorder calls on a `MeterProvider` of `@opentelemetry/api` (any provider of it fits). */
export interface TelemetryMeterProvider {
  getMeter(name: string, version?: string, options?: object): unknown;
}

/** What the recorder calls on a `TracerProvider` of `@opentelemetry/api`. */
export interface TelemetryTracerProvider {
  getTracer(name: string, version?: string, options?: object): unknown;
}
