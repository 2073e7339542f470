import { ZerobusError } from "@zerobus/core";

/** What {@link postForm} returns: the status, the `location` header (for redirects) and the body text. */
export interface FormResponse {
  status: number;
  location: string | null;
  body: string;
}

/** One form POST. */
export interface FormRequest {
  url: string;
  headers: Record<string, string>;
  body: URLSearchParams;
  signal: AbortSignal;
}

/**
 * POSTs a form and reads the whole answer, honouring the proxy variables at call time (Node's own fetch
 * ignores them).
 * - No proxy variable for the URL's scheme: the global `fetch`, looked up on each call, so `msw` and other
 *   fetch interceptors see it, and undici is never loaded (importing it costs about 100 ms in a fresh
 *   process: `proxy.test.ts` pins that importing this package does not).
 * - Otherwise undici's own `fetch` with an `EnvHttpProxyAgent` given the variables, which picks the proxy
 *   per request: `https_proxy`/`HTTPS_PROXY` (else `http_proxy`/`HTTP_PROXY`) for an `https://` URL,
 *   tunnelled with HTTP CONNECT, and a direct connection for a host `no_proxy`/`NO_PROXY` exempts
 *   (`host`, `host:port`, `.example.com` or `*.example.com` for subdomains, `*` for all). The agent is closed once the answer is read: a token request happens about once an hour and
 *   must not hold sockets open.
 * Either way TLS uses Node's default trust store, which includes `NODE_EXTRA_CA_CERTS` (Node reads that
 * variable once, at process start). Redirects are not followed: the body carries the client secret's
 * grant and the `authorization` header the secret itself.
 */
export async function postForm(request: FormRequest): Promise<FormResponse> {
  const init = {
    method: "POST",
    headers: request.headers,
    body: request.body.toString(),
    redirect: "manual" as const,
    signal: request.signal,
  };
  const proxies = proxyVariables();
  const proxied = request.url.startsWith("http://") ? proxies.httpProxy : proxies.httpsProxy;
  if (proxied === undefined) {
    const response = await globalThis.fetch(request.url, init);
    return {
      status: response.status,
      location: response.headers.get("location"),
      body: await response.text(),
    };
  }
  const { EnvHttpProxyAgent, fetch: undiciFetch } = await import("undici");
  let dispatcher: InstanceType<typeof EnvHttpProxyAgent>;
  try {
    dispatcher = new EnvHttpProxyAgent(proxies);
  } catch {
    // Neither quoted nor kept as the cause (whose `input` is the whole URL): a proxy URL may carry a user
    // name and password.
    throw new ZerobusError("invalid_argument", `the proxy set for ${request.url} is not a valid proxy URL`);
  }
  try {
    const response = await undiciFetch(request.url, { ...init, dispatcher });
    return {
      status: response.status,
      location: response.headers.get("location"),
      body: await response.text(),
    };
  } finally {
    void dispatcher.close().catch(() => {});
  }
}

/**
 * The proxy variables, lower case first, an empty value meaning unset (as curl and `proxy-from-env` read
 * them; `EnvHttpProxyAgent` alone would let an empty `https_proxy` hide `HTTPS_PROXY`); an `https://` URL
 * falls back to the HTTP proxy, as the agent does.
 */
function proxyVariables(): { httpProxy?: string; httpsProxy?: string; noProxy: string } {
  const { env } = process;
  const httpProxy = env.http_proxy || env.HTTP_PROXY || undefined;
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || httpProxy;
  return {
    ...(httpProxy === undefined ? {} : { httpProxy }),
    ...(httpsProxy === undefined ? {} : { httpsProxy }),
    noProxy: env.no_proxy || env.NO_PROXY || "",
  };
}
