export { chain } from "./chain.js";
export { credentialsNotFound, credentialsSearched, isCredentialsNotFound } from "./credentials-not-found.js";
export type { CredentialSource, ExpiringCredential, MemoizeOptions } from "./memoize.js";
export { DEFAULT_REFRESH_BEFORE_MS, memoize } from "./memoize.js";
export { namedProvider } from "./named-provider.js";
