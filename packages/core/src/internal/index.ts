/**
 * Internals shared by the Zerobus packages (the stream engine, its recovery, auth helpers): only what the
 * production code of another `@zerobus/*` package uses (helpers for tests live in `@zerobus/test-support`,
 * a private workspace package). No semver promise: import only from `@zerobus/*` packages of the same
 * version.
 *
 * @packageDocumentation
 */
export { MAX_TIMER_MS } from "../stream-options.js";
export { credentialsNotFound, type ExpiringCredential, memoize, namedProvider } from "./auth/index.js";
export {
  abortError,
  cancelledError,
  invalidSignal,
  listenForAbort,
  refusedBySignal,
  untilAborted,
} from "./cancellation.js";
export type { EndpointFacts, TrustAdvice } from "./connection-failure-advice.js";
export {
  explainConnectionFailure,
  looksLikeWorkspaceUrl,
  nodeTrustAdvice,
  rustlsTrustAdvice,
} from "./connection-failure-advice.js";
export type { ParsedEndpoint } from "./endpoint.js";
export { parseEndpoint } from "./endpoint.js";
export { kindOf } from "./kind-of.js";
export { DiagnosticsObserver, diagnosticsObserver } from "./observe/diagnostics/diagnostics-observer.js";
export { ObserverFanout } from "./observe/observer-fanout.js";
export { loadTelemetry, MISSING_OTEL_API } from "./observe/otel/load-telemetry.js";
export type {
  TelemetryMeterProvider,
  TelemetryOption,
  TelemetryTracerProvider,
} from "./observe/otel/telemetry-option.js";
export { silentObserver } from "./observe/silent-observer.js";
export type {
  ObservedStream,
  RecoveryOutcome,
  StreamObserver,
  StreamObserverFactory,
} from "./observe/stream-observer.js";
export type { CoreStreamInit, StreamHost } from "./stream/core-stream.js";
export { CoreStream } from "./stream/core-stream.js";
export type { OpenRequest, StreamRegistryOptions } from "./stream/stream-registry.js";
export { StreamRegistry } from "./stream/stream-registry.js";
export { varintLength } from "./wire-size.js";
