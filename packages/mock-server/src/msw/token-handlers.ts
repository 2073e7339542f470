import { type HttpHandler, HttpResponse, http } from "msw";
import type { TokenEndpoint } from "../oauth/token-endpoint.js";
import { TOKEN_PATH } from "../oauth/token-http-path.js";

/** Where the handlers take tokens from: a `TokenEndpoint`, or anything with one (a `MockServer`). */
export type TokenSource = TokenEndpoint | { oauth: TokenEndpoint; workspaceUrl: string };

/**
 * msw handlers serving the OAuth token endpoint (`POST {workspaceUrl}/oidc/v1/token`) in-process, with the
 * same checks, script, request log and tokens as the mock server's HTTP endpoint: tokens issued through msw
 * are accepted by a mock server sharing the same `TokenEndpoint`.
 *
 * @param source a `MockServer` (its endpoint and workspace URL), or a standalone `TokenEndpoint`.
 * @param options.workspaceUrl the URL to intercept; required with a bare `TokenEndpoint`, and lets a test
 *   use a realistic URL (`https://my-workspace.cloud.databricks.com`) instead of the server's.
 *
 * @example
 * ```ts
 * import { setupServer } from "msw/node";
 * import { TokenEndpoint } from "@zerobus/mock-server/msw";
 * const endpoint = new TokenEndpoint();
 * const msw = setupServer(...tokenHandlers(endpoint, { workspaceUrl: "https://example.cloud.databricks.com" }));
 * msw.listen();
 * ```
 */
export function tokenHandlers(source: TokenSource, options: { workspaceUrl?: string } = {}): HttpHandler[] {
  const endpoint = "oauth" in source ? source.oauth : source;
  const workspaceUrl = options.workspaceUrl ?? ("oauth" in source ? source.workspaceUrl : undefined);
  if (!workspaceUrl)
    throw new TypeError("tokenHandlers: options.workspaceUrl is required with a bare TokenEndpoint");
  const url = `${workspaceUrl.replace(/\/+$/, "")}${TOKEN_PATH}`;
  return [
    http.all(url, async ({ request }) => {
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const answer = await endpoint.handle({ method: request.method, headers, body: await request.text() });
      return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers });
    }),
  ];
}
