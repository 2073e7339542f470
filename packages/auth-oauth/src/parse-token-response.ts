import { ZerobusError } from "@zerobus/core";

/** An access token and when it expires, in the provider's clock (milliseconds since the epoch). */
export interface OAuthToken {
  token: string;
  expiresAt: number;
}

/** What a bearer token may be: printable ASCII without spaces (it becomes a header value). */
const tokenPattern = /^[\x21-\x7e]+$/;
/** `expires_in` as a number, or as a numeric string, which some token servers send. */
const numericPattern = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Reads a 2xx token response. A body that is not a JSON object, a missing or unusable `access_token`, or
 * an `expires_in` that is not a positive number of seconds is an `auth_failed` (not retryable): the
 * endpoint answered, wrongly. Messages never quote the body, which may hold a token. A response without
 * `expires_in` gets `expiresAt = now`, so its token is used once and never cached.
 */
export function parseTokenResponse(body: string, endpoint: string, now: number): OAuthToken {
  const fail = (what: string) =>
    new ZerobusError("auth_failed", `token endpoint ${endpoint} answered with ${what}`, { retryable: false });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    // The SyntaxError is not kept as cause: V8 quotes part of the body in it.
    throw fail(`a body that is not JSON (${body.length} characters)`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw fail("JSON that is not an object");
  }
  const { access_token: accessToken, expires_in: expiresIn } = json as Record<string, unknown>;
  if (accessToken === undefined || accessToken === null || accessToken === "") {
    throw fail("no access_token");
  }
  if (typeof accessToken !== "string" || !tokenPattern.test(accessToken)) {
    throw fail("an access_token that is not a string of printable ASCII without spaces");
  }
  if (expiresIn === undefined || expiresIn === null) return { token: accessToken, expiresAt: now };
  const seconds =
    typeof expiresIn === "number"
      ? expiresIn
      : typeof expiresIn === "string" && numericPattern.test(expiresIn)
        ? Number(expiresIn)
        : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw fail(`an expires_in that is not a positive number of seconds (${describe(expiresIn)})`);
  }
  return { token: accessToken, expiresAt: now + seconds * 1000 };
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `a string of ${value.length} characters`;
  return Array.isArray(value) ? "an array" : typeof value;
}
