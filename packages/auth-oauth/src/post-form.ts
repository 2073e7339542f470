import { ZerobusError } from "@zerobus/core";
import { getProxyForUrl } from "proxy-from-env";
import { ProxyAgent, fetch as undiciFetch } from "undici";

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
 * ignores them). `https_proxy`/`HTTPS_PROXY` (`http_proxy`/`HTTP_PROXY` for an `http://` URL, then
 * `all_proxy`) name the proxy, `no_proxy`/`NO_PROXY` exempt hosts, as `proxy-from-env` reads them.
 * - Direct: the global `fetch`, looked up on each call, so `msw` and other fetch interceptors see it.
 * - Through a proxy: undici's own `fetch` with a `ProxyAgent` (HTTP CONNECT for `https://`), closed once
 *   the answer is read: a token request happens about once an hour and must not hold sockets open.
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
  const proxy = getProxyForUrl(request.url);
  if (proxy === "") {
    const response = await globalThis.fetch(request.url, init);
    return {
      status: response.status,
      location: response.headers.get("location"),
      body: await response.text(),
    };
  }
  let dispatcher: ProxyAgent;
  try {
    dispatcher = new ProxyAgent(proxy);
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
