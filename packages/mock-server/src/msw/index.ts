/**
 * msw handlers for the Zerobus OAuth token endpoint, for tests that mock HTTP in-process. They share the
 * token logic (checks, script, request log, issued tokens) with the mock server's real HTTP endpoint.
 * Requires `msw` 2 (an optional peer dependency).
 *
 * @packageDocumentation
 */

export type { TokenHttpRequest } from "../oauth/check-token-request.js";
export type {
  RecordedTokenRequest,
  TokenEndpointOptions,
  TokenHttpResponse,
} from "../oauth/token-endpoint.js";
export {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TOKEN_TTL_SECONDS,
  TokenEndpoint,
} from "../oauth/token-endpoint.js";
export { TOKEN_PATH } from "../oauth/token-http-path.js";
export type { TokenStep } from "../oauth/token-step.js";
export type { IssuedToken, TokenFilter } from "../oauth/token-store.js";
export type { TokenSource } from "./token-handlers.js";
export { tokenHandlers } from "./token-handlers.js";
