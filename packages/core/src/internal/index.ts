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
export type { ParsedEndpoint } from "./endpoint.js";
export { parseEndpoint } from "./endpoint.js";
export type { StreamHost } from "./engine-backed-stream.js";
export { EngineBackedStream } from "./engine-backed-stream.js";
export { kindOf } from "./kind-of.js";
export type { WireRequest } from "./landing-queue.js";
export { OpenStreams } from "./open-streams.js";
export type { Dial } from "./recovery/index.js";
export { StreamRecovery } from "./recovery/index.js";
export { StreamEngine } from "./stream-engine.js";
export { varintLength } from "./wire-size.js";
