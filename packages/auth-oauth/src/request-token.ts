import type { Logger } from "@zerobus/core";
import { errorFromNetworkError, ZerobusError } from "@zerobus/core";
import { failureHint } from "./failure-hint.js";
import type { OAuthToken } from "./parse-token-response.js";
import { parseTokenResponse } from "./parse-token-response.js";
import { postForm } from "./post-form.js";

/** One client-credentials token request. */
export interface TokenRequest {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  body: URLSearchParams;
  timeoutMs: number;
  /** The caller's signal (the connection attempt); aborting it gives `cancelled`. */
  signal: AbortSignal;
  now: () => number;
  logger: Logger;
}

/**
 * Requests a token and maps every outcome to PROTOCOL.md B §3.4 and A.3: 2xx parsed (bad bodies are
 * `auth_failed`); 3xx and 4xx `auth_failed`, not retryable, with the server's `error_description`; 408
 * `unavailable` and 429 `resource_exhausted`, both retryable (the server asks to come back); 5xx and
 * network errors `unavailable`, retryable, with the cause kept; the request's own timeout
 * `deadline_exceeded`, retryable. The client secret is redacted from anything the server echoes.
 */
export async function requestToken(request: TokenRequest): Promise<OAuthToken> {
  const { endpoint, logger } = request;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const basic = Buffer.from(`${request.clientId}:${request.clientSecret}`, "utf8").toString("base64");
  logger.debug("requesting an OAuth token", { endpoint });
  let response: Awaited<ReturnType<typeof postForm>>;
  try {
    response = await postForm({
      url: endpoint,
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: request.body,
      signal: AbortSignal.any([request.signal, timeout]),
    });
  } catch (error) {
    throw fetchError(error, request, timeout);
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    const token = parseTokenResponse(response.body, endpoint, request.now());
    logger.debug("received an OAuth token", { endpoint, expiresInMs: token.expiresAt - request.now() });
    return token;
  }
  // Redacted before anything is parsed or cut: a secret cut in half would no longer match.
  const detail = serverDetail(redact(response.body, [request.clientSecret, basic])) + failureHint(endpoint);
  if (status >= 300 && status < 400) {
    const target = response.location === null ? "" : ` to ${response.location}`;
    throw new ZerobusError(
      "auth_failed",
      `token endpoint ${endpoint} redirected (HTTP ${status}${target}): set workspaceUrl to the workspace's own URL${failureHint(endpoint)}`,
      { retryable: false },
    );
  }
  if (status === 408 || status === 429) {
    throw new ZerobusError(
      status === 429 ? "resource_exhausted" : "unavailable",
      `token endpoint ${endpoint} asked to retry later (HTTP ${status}): ${detail}`,
      { retryable: true },
    );
  }
  if (status >= 400 && status < 500) {
    throw new ZerobusError(
      "auth_failed",
      `token endpoint ${endpoint} refused the request (HTTP ${status}): ${detail}`,
      {
        retryable: false,
      },
    );
  }
  throw new ZerobusError("unavailable", `token endpoint ${endpoint} failed (HTTP ${status}): ${detail}`, {
    retryable: true,
  });
}

function fetchError(error: unknown, request: TokenRequest, timeout: AbortSignal): ZerobusError {
  if (error instanceof ZerobusError) return error;
  const what = `the token request to ${request.endpoint}`;
  if (request.signal.aborted) {
    return new ZerobusError("cancelled", `${what} was abandoned`, {
      cause: request.signal.reason,
      retryable: false,
    });
  }
  if (timeout.aborted) {
    return new ZerobusError("deadline_exceeded", `${what} timed out after ${request.timeoutMs} ms`, {
      cause: error,
      retryable: true,
    });
  }
  const hint = failureHint(request.endpoint, error);
  const failed = () =>
    new ZerobusError("unavailable", `${what} failed: ${describeCause(error)}${hint}`, {
      cause: error,
      retryable: true,
    });
  return hint === "" ? (errorFromNetworkError(error, what) ?? failed()) : failed();
}

/** The innermost message with its code, e.g. `self-signed certificate (SELF_SIGNED_CERT_IN_CHAIN)`. */
function describeCause(error: unknown): string {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    const next = (current as { cause?: unknown } | null)?.cause;
    if (!(next instanceof Error)) break;
    current = next;
  }
  if (!(current instanceof Error)) return String(current);
  const code = (current as { code?: unknown }).code;
  return typeof code === "string" ? `${current.message} (${code})` : current.message;
}

/** The server's own words: `error_description`, else `error`, else the start of the body. */
function serverDetail(body: string): string {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const parts = [json.error, json.error_description].filter(
      (part) => typeof part === "string" && part !== "",
    );
    if (parts.length > 0) return parts.join(": ");
  } catch {
    // Not JSON: fall back to the text itself.
  }
  const text = body.replace(/\s+/g, " ").trim();
  if (text === "") return "no details in the response";
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * `text` with every form of a secret the server might echo replaced: as sent in the form or the
 * `Authorization: Basic` header, and URL-encoded.
 */
function redact(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret === "") continue;
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      redacted = redacted.split(form).join("***");
  }
  return redacted;
}
