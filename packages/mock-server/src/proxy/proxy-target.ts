/** Where the proxy forwards to, and the scheme to give clients of the proxy. */
export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
  /** `"https"` when the target was an `https://` URL (the TLS bytes pass through untouched). */
  readonly scheme: "http" | "https";
}

const DEFAULT_PORTS: Record<string, number> = { "http:": 80, "https:": 443 };

/**
 * Reads a target given as `host:port` (`[::1]:443` for IPv6) or as an `http://`/`https://` URL, whose host
 * and port are used (its path is ignored: the proxy forwards raw TCP). Throws a `TypeError` otherwise.
 */
export function parseProxyTarget(target: string): ProxyTarget {
  const invalid = (why: string) =>
    new TypeError(`invalid fault proxy target ${JSON.stringify(target)}: ${why}`);
  if (typeof target !== "string") throw invalid("expected host:port or an http(s):// URL");
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
  let url: URL;
  try {
    // A bare host:port is read as a URL of a scheme without a default port, so `:80` stays and IPv6
    // brackets and the port range are checked by the URL parser.
    url = new URL(isUrl ? target : `tcp://${target}`);
  } catch {
    throw invalid("expected host:port or an http(s):// URL");
  }
  if (isUrl && url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid("only http:// and https:// URLs");
  }
  if (!isUrl && (url.port === "" || url.pathname !== "" || url.username !== "")) {
    throw invalid("expected host:port, e.g. 127.0.0.1:443");
  }
  const port = url.port === "" ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  if (port === undefined || port === 0) throw invalid("the port must be 1 to 65535");
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
    scheme: url.protocol === "https:" ? "https" : "http",
  };
}
