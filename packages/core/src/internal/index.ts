/**
 * Internals shared by the Zerobus packages (the stream engine, auth helpers). No semver promise: import
 * only from `@zerobus/*` packages of the same version.
 *
 * @packageDocumentation
 */
export { isRetryableByDefault } from "../retryability.js";
export { MAX_TIMER_MS } from "../stream-options.js";
export {
  type CredentialSource,
  chain,
  credentialsNotFound,
  credentialsSearched,
  DEFAULT_REFRESH_BEFORE_MS,
  type ExpiringCredential,
  isCredentialsNotFound,
  type MemoizeOptions,
  memoize,
  namedProvider,
} from "./auth/index.js";
export {
  cancelledError,
  invalidSignal,
  listenForAbort,
  refusedBySignal,
  untilAborted,
} from "./cancellation.js";
export type { ParsedEndpoint } from "./endpoint.js";
export { parseEndpoint } from "./endpoint.js";
export type { StreamHost } from "./engine-backed-stream.js";
export { EngineBackedStream } from "./engine-backed-stream.js";
export type { WireRequest } from "./landing-queue.js";
export type { AbortableStream } from "./open-streams.js";
export { OpenStreams } from "./open-streams.js";
export { measureBatch, measureRecord } from "./record-checks.js";
export type { StreamEngineInit } from "./stream-engine.js";
export { StreamEngine } from "./stream-engine.js";
export { testHeadersContext } from "./test-headers-context.js";
export {
  batchRequestSize,
  lengthDelimitedSize,
  MAX_OFFSET_VARINT_BYTES,
  singleRequestSize,
  varintLength,
} from "./wire-size.js";
