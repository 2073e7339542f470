import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { MockServer } from "../mock-server.js";
import type { ScriptHandle } from "../script/script-cursor.js";
import { AdminRequestError } from "./admin-request-error.js";
import { type AdminRoute, checkQuery, matchRoute } from "./admin-route.js";
import { readJsonBody, sendJson } from "./http-json.js";
import { hostOfHeader, isLoopbackHost } from "./loopback-host.js";
import { describeMockServer } from "./mock-server-info.js";
import { serverRoutes } from "./server-routes.js";
import { tableRoutes } from "./table-routes.js";

/** Options of {@link startAdminEndpoint}. */
export interface AdminEndpointOptions {
  /** Address to bind (default `"127.0.0.1"`); a non-loopback address is refused unless `allowNonLoopback`. */
  host?: string;
  /** Port (default 0: a free port). */
  port?: number;
  /**
   * Bind a non-loopback address (a container's `0.0.0.0`, say). The endpoint has no authentication and
   * hands out the mock's credentials and tokens: anyone who reaches it controls the mock.
   */
  allowNonLoopback?: boolean;
  /** Where the CA PEM was written (with TLS), reported by `GET /info`. */
  caPath?: string;
}

/** A running admin endpoint. */
export interface AdminEndpoint {
  /** `http://127.0.0.1:<port>`: the base URL of the routes. */
  readonly url: string;
  /** Stops listening and closes open connections (pending long-polls included). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const ROUTES: readonly AdminRoute[] = [...serverRoutes, ...tableRoutes];

/**
 * Serves a mock server's controls over HTTP with JSON in and out, so tests in any language (or `curl`)
 * can declare tables, script faults, read recordings and reset it. It has no authentication: it binds
 * loopback, refuses a `Host` that is not loopback (DNS rebinding) and requests from web pages of other
 * origins. `GET /` lists the routes.
 *
 * @example
 * ```ts
 * const server = await createMockServer();
 * const admin = await startAdminEndpoint(server);
 * await fetch(`${admin.url}/tables/main.web.clicks/script`, {
 *   method: "PUT",
 *   body: JSON.stringify([{ fail: "UNAVAILABLE", after: { records: 1 } }]),
 * });
 * ```
 */
export async function startAdminEndpoint(
  server: MockServer,
  options: AdminEndpointOptions = {},
): Promise<AdminEndpoint> {
  const host = options.host ?? "127.0.0.1";
  const loopbackOnly = !options.allowNonLoopback;
  if (loopbackOnly && !isLoopbackHost(host)) {
    throw new TypeError(
      `the admin endpoint has no authentication, so it binds only loopback addresses (127.0.0.1, ::1, localhost); got "${host}". Pass allowNonLoopback: true (CLI: --admin-allow-remote) only on a network you trust`,
    );
  }
  const scripts = new Map<string, ScriptHandle>();
  let url = "";
  const http = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      const status =
        error instanceof AdminRequestError ? error.status : error instanceof TypeError ? 400 : 500;
      if (!response.headersSent)
        sendJson(response, status, { error: (error as Error).message ?? String(error) });
      else response.destroy();
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (loopbackOnly) refuseForeign(request);
    const target = new URL(request.url ?? "/", "http://admin");
    const method = request.method ?? "GET";
    if (target.pathname === "/" && method === "GET") {
      sendJson(response, 200, {
        ...info(),
        routes: ROUTES.map((r) => `${r.method} ${r.path}: ${r.summary}`),
      });
      return;
    }
    const match = matchRoute(ROUTES, method, target.pathname);
    if ("allowed" in match) {
      if (match.allowed.length > 0) {
        response.setHeader("allow", match.allowed.join(", "));
        throw new AdminRequestError(
          405,
          `${method} ${target.pathname} is not a route; it takes ${match.allowed.join(", ")}`,
        );
      }
      throw new AdminRequestError(404, `no route ${method} ${target.pathname}; GET / lists the routes`);
    }
    checkQuery(match.route, target.searchParams);
    const body = method === "GET" ? undefined : await readJsonBody(request);
    const answer = await match.route.handle({
      server,
      params: match.params,
      query: target.searchParams,
      body,
      scripts,
      info,
    });
    sendJson(response, 200, answer);
  }

  const info = () => describeMockServer(server, { adminUrl: url, caPath: options.caPath });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    });
  return { url, close, [Symbol.asyncDispose]: close };
}

/**
 * Without authentication, what keeps a web page from driving the endpoint: a page on another site reaches
 * loopback through a DNS name rebound to 127.0.0.1 (its `Host` is that name) or sends a cross-origin
 * request (its `Origin` is that site). Test clients send neither.
 */
function refuseForeign(request: IncomingMessage): void {
  const host = hostOfHeader(request.headers.host);
  if (host !== undefined && !isLoopbackHost(host)) {
    throw new AdminRequestError(403, `the admin endpoint answers only loopback hosts, not Host "${host}"`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    throw new AdminRequestError(
      403,
      `the admin endpoint does not answer web pages of other origins (${origin})`,
    );
  }
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}
