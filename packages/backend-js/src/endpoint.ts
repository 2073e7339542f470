import type { BackendConfig } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";

/** Where and how to connect. */
export interface ParsedEndpoint {
  /** `host:port` for grpc-js (brackets kept around IPv6 literals). */
  readonly target: string;
  /** TLS (https) or plaintext (http with `allowInsecure`). */
  readonly secure: boolean;
}

/**
 * Reads the endpoint URL: `https://host[:port]` connects with TLS (port 443 by default), `http://…` in
 * plaintext only with `allowInsecure` (for mock servers); anything else is refused with
 * `invalid_argument`.
 */
export function parseEndpoint(config: Pick<BackendConfig, "endpoint" | "allowInsecure">): ParsedEndpoint {
  let url: URL;
  try {
    url = new URL(config.endpoint);
  } catch (error) {
    throw new ZerobusError("invalid_argument", `endpoint ${JSON.stringify(config.endpoint)} is not a URL`, {
      cause: error,
    });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ZerobusError(
      "invalid_argument",
      `endpoint must start with https:// or http://, got ${url.protocol}//`,
    );
  }
  if (url.pathname !== "/" && url.pathname !== "") {
    throw new ZerobusError(
      "invalid_argument",
      `endpoint must not have a path, got ${JSON.stringify(url.pathname)}`,
    );
  }
  const secure = url.protocol === "https:";
  if (!secure && !config.allowInsecure) {
    throw new ZerobusError(
      "invalid_argument",
      "endpoint uses http:// (no TLS); set allowInsecure: true to allow it (for local mock servers only)",
    );
  }
  const port = url.port === "" ? (secure ? "443" : "80") : url.port;
  return { target: `${url.hostname}:${port}`, secure };
}
