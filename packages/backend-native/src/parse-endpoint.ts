import type { BackendConfig } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";

/**
 * Checks the endpoint URL: `https://host[:port]` (TLS) or `http://…` (plaintext, only with
 * `allowInsecure`, for mock servers). Returns it without a trailing slash, as the core expects.
 */
export function parseEndpoint(config: Pick<BackendConfig, "endpoint" | "allowInsecure">): string {
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
  if (url.protocol === "http:" && !config.allowInsecure) {
    throw new ZerobusError(
      "invalid_argument",
      "endpoint uses http:// (no TLS); set allowInsecure: true to allow it (for local mock servers only)",
    );
  }
  return `${url.protocol}//${url.host}`;
}
