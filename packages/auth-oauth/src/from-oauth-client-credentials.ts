import type { HeadersContext, HeadersProvider } from "@zerobus/core";
import { parseTableName, TABLE_NAME_HEADER, ZerobusError } from "@zerobus/core";
import { memoize, namedProvider } from "@zerobus/core/internal";
import type { OAuthClientCredentialsOptions } from "./oauth-options.js";
import { isWorkspaceId, resolveOAuthOptions } from "./oauth-options.js";
import { requestToken } from "./request-token.js";
import { tokenRequestBody } from "./token-request-body.js";
import { tokenEndpoint } from "./workspace-url.js";

/**
 * A provider that authenticates as a Databricks service principal with OAuth 2.0 client credentials,
 * getting a token scoped to the stream's table (PROTOCOL.md §3). It sends `authorization: Bearer <token>`
 * and `x-databricks-zerobus-table-name`.
 *
 * - No I/O until `getHeaders` is called; the options are checked now (`invalid_argument`).
 * - Tokens are cached per workspace id and table, refreshed 5 minutes before they expire, and one request
 *   serves all concurrent callers; `reason: "unauthenticated"` always fetches a new token.
 * - Each token request has its own timeout (`timeoutMs`) and honours `HTTPS_PROXY`/`NO_PROXY` (read on
 *   every request) and `NODE_EXTRA_CA_CERTS` (read by Node at start).
 * - Errors: 4xx `auth_failed` (not retryable, with the server's description); 5xx, network errors and
 *   timeouts retryable. `util.inspect`/`JSON.stringify` of the provider show the URL and client id only.
 *
 * @example
 * ```ts
 * import { fromOAuthClientCredentials } from "@zerobus/auth-oauth";
 * const provider = fromOAuthClientCredentials({
 *   workspaceUrl: "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com",
 *   clientId: process.env.DATABRICKS_CLIENT_ID!,
 *   clientSecret: process.env.DATABRICKS_CLIENT_SECRET!,
 * });
 * const stream = await sdk.createStreamWithHeadersProvider("main.default.events", provider);
 * ```
 */
export function fromOAuthClientCredentials(options: OAuthClientCredentialsOptions): HeadersProvider {
  const resolved = resolveOAuthOptions(options);
  const endpoint = tokenEndpoint(resolved.workspaceOrigin);
  const workspaceIdOf = (context: HeadersContext): string => {
    const id = resolved.workspaceId ?? context.workspaceId;
    if (!isWorkspaceId(id)) {
      throw new ZerobusError(
        "invalid_argument",
        "fromOAuthClientCredentials: no usable workspace id (set the workspaceId option of the provider or the SDK)",
      );
    }
    return id;
  };
  const token = memoize(
    (context) =>
      requestToken({
        endpoint,
        clientId: resolved.clientId,
        clientSecret: resolved.clientSecret,
        body: tokenRequestBody(parseTableName(context.tableName), workspaceIdOf(context)),
        timeoutMs: resolved.timeoutMs,
        signal: context.signal,
        now: resolved.now,
        logger: resolved.logger,
      }),
    { now: resolved.now, cacheKey: (context) => `${workspaceIdOf(context)} ${context.tableName}` },
  );
  return namedProvider(
    "OAuthClientCredentialsProvider",
    { workspaceUrl: resolved.workspaceOrigin, clientId: resolved.clientId },
    async (context: HeadersContext) => {
      // Checked before the cache so a bad name fails at once, before any network call (PROTOCOL.md B §3.3).
      parseTableName(context.tableName);
      workspaceIdOf(context);
      const { token: accessToken } = await token(context);
      return { authorization: `Bearer ${accessToken}`, [TABLE_NAME_HEADER]: context.tableName };
    },
  );
}
