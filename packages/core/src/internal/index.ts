/**
 * Internals shared by the Zerobus packages (the stream engine, auth helpers). No semver promise: import
 * only from `@zerobus/*` packages of the same version.
 *
 * @packageDocumentation
 */
export { isRetryableByDefault } from "../retryability.js";
export { chain, type CredentialSource, credentialsNotFound, credentialsSearched, DEFAULT_REFRESH_BEFORE_MS, type ExpiringCredential, isCredentialsNotFound, type MemoizeOptions, memoize, namedProvider } from "./auth/index.js";
