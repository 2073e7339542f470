/**
 * Internals shared by the Zerobus packages (the stream engine, auth helpers). No semver promise: import
 * only from `@zerobus/*` packages of the same version.
 *
 * @packageDocumentation
 */
export { isRetryableByDefault } from "../retryability.js";
