import { ZerobusError } from "../zerobus-error.js";

/** A Zerobus endpoint after validation: one parse serves the SDK and both backends. */
export interface ParsedEndpoint {
  /** Normalised URL: scheme, host and port, no trailing slash (what the native core takes). */
  readonly url: string;
  /** `host:port` for grpc-js, the default port filled in, brackets kept around IPv6 literals. */
  readonly target: string;
  /** TLS (`https://`) or plaintext (`http://`, only with `allowInsecure`). */
  readonly secure: boolean;
  /** The first label of the host: the workspace id on AWS and Azure endpoints. */
  readonly firstHostLabel: string;
}

/**
 * Validates a Zerobus endpoint. A schemeless endpoint gets `https://` (as the Rust core does); only
 * `https://` and `http://` are accepted, and `http://` only with `allowInsecure` (plaintext sends the token
 * in the clear). Paths, queries and credentials are refused: the service lives at the root.
 */
export function parseEndpoint(endpoint: unknown, allowInsecure: boolean): ParsedEndpoint {
  if (typeof endpoint !== "string" || endpoint.trim() === "") {
    throw new ZerobusError(
      "invalid_argument",
      "the Zerobus endpoint must be a non-empty string such as https://<workspace-id>.zerobus.<region>.cloud.databricks.com",
    );
  }
  const trimmed = endpoint.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (cause) {
    throw new ZerobusError(
      "invalid_argument",
      `the Zerobus endpoint is not a valid URL: ${JSON.stringify(trimmed)}`,
      {
        cause,
      },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ZerobusError(
      "invalid_argument",
      `the Zerobus endpoint must use https:// (or http:// with allowInsecure), got ${url.protocol}//`,
    );
  }
  if (url.username || url.password) {
    throw new ZerobusError("invalid_argument", "the Zerobus endpoint must not contain credentials");
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new ZerobusError(
      "invalid_argument",
      `the Zerobus endpoint must be a bare origin without path or query, got ${JSON.stringify(trimmed)}`,
    );
  }
  const secure = url.protocol === "https:";
  if (!secure && !allowInsecure) {
    throw new ZerobusError(
      "invalid_argument",
      "the Zerobus endpoint uses http:// (plaintext); pass { allowInsecure: true } to allow it (for local mock servers only)",
    );
  }
  const port = url.port === "" ? (secure ? "443" : "80") : url.port;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return {
    url: url.origin,
    target: `${url.hostname}:${port}`,
    secure,
    firstHostLabel: host.split(".")[0] ?? host,
  };
}
