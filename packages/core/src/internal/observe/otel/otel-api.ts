import type { context, metrics, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";

/**
 * What the recorder uses of `@opentelemetry/api`, handed to it by `loadTelemetry` (which imports the
 * package): the recorder itself imports only its types, so it loads with no `@opentelemetry/api` resolved
 * and a test can give it the real module, or make the import fail.
 */
export interface OtelApi {
  readonly context: typeof context;
  readonly metrics: typeof metrics;
  readonly trace: typeof trace;
  readonly SpanKind: typeof SpanKind;
  readonly SpanStatusCode: typeof SpanStatusCode;
}
