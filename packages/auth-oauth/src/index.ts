/**
 * OAuth 2.0 client-credentials authentication for Databricks Zerobus: a headers provider that gets
 * table-scoped tokens from the workspace, caches them and refreshes them before they expire.
 *
 * @packageDocumentation
 */
export { fromOAuthClientCredentials } from "./from-oauth-client-credentials.js";
export type { OAuthClientCredentialsOptions } from "./oauth-options.js";
export { DEFAULT_TOKEN_TIMEOUT_MS } from "./oauth-options.js";
export { TOKEN_PATH } from "./workspace-url.js";
