export { credentialsNotFound } from "./credentials-not-found.js";
export type { ExpiringCredential } from "./memoize.js";
export { memoize } from "./memoize.js";
export { namedProvider } from "./named-provider.js";
