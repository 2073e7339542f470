import { ZerobusError } from "@zerobus/core";

/** A Zerobus endpoint after validation. */
export interface ParsedEndpoint {
  /** Normalised URL: scheme, host and port, no trailing slash. */
  url: string;
  /** True for `http://` (plaintext). */
  insecure: boolean;
  /** The first label of the host: the workspace id on AWS and Azure endpoints. */
  firstHostLabel: string;
}

/**
 * Validates the Zerobus endpoint. A schemeless endpoint gets `https://` (as the Rust core does); only
 * `https://` and `http://` are accepted, and `http://` only with `allowInsecure` (plaintext sends the token
 * in the clear). Paths, queries and credentials in the URL are refused: the service lives at the root.
 */
export function parseEndpoint(endpoint: unknown, allowInsecure: boolean): ParsedEndpoint {
  if (typeof endpoint !== "string" || endpoint.trim() === "") {
    throw new ZerobusError(
      "invalid_argument",
      "zerobusEndpoint must be a non-empty string such as https://<workspace-id>.zerobus.<region>.cloud.databricks.com",
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
      `zerobusEndpoint is not a valid URL: ${JSON.stringify(trimmed)}`,
      { cause },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ZerobusError(
      "invalid_argument",
      `zerobusEndpoint must use https:// (or http:// with allowInsecure), got ${url.protocol}//`,
    );
  }
  if (url.username || url.password) {
    throw new ZerobusError("invalid_argument", "zerobusEndpoint must not contain credentials");
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new ZerobusError(
      "invalid_argument",
      `zerobusEndpoint must be a bare origin without path or query, got ${JSON.stringify(trimmed)}`,
    );
  }
  const insecure = url.protocol === "http:";
  if (insecure && !allowInsecure) {
    throw new ZerobusError(
      "invalid_argument",
      "zerobusEndpoint uses http:// (plaintext); pass { allowInsecure: true } to allow it (for local mock servers only)",
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return { url: url.origin, insecure, firstHostLabel: host.split(".")[0] ?? host };
}
