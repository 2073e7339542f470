import { ZerobusError } from "../../zerobus-error.js";

/** Holds, on the error, the list of places that were searched; works across duplicate installs. */
const searched = Symbol.for("@zerobus/core.credentialsNotFound");

/**
 * The error a provider throws when its source is simply not configured (no variable set, no profile),
 * as opposed to configured and failing. {@link chain} moves on to its next provider only for this error.
 * It is an `auth_failed`, not retryable: retrying cannot make credentials appear.
 *
 * @param message - what this provider looked for, e.g. `DATABRICKS_TOKEN is not set`
 * @param lookedFor - the individual places, when `message` summarises several (defaults to `[message]`)
 */
export function credentialsNotFound(message: string, lookedFor: readonly string[] = [message]): ZerobusError {
  const error = new ZerobusError("auth_failed", message, { retryable: false });
  Object.defineProperty(error, searched, { value: Object.freeze([...lookedFor]) });
  return error;
}

/** True for an error made by {@link credentialsNotFound} (from any copy of `@zerobus/core`). */
export function isCredentialsNotFound(error: unknown): error is ZerobusError {
  return (
    typeof error === "object" && error !== null && Array.isArray((error as Record<symbol, unknown>)[searched])
  );
}

/** The places a {@link credentialsNotFound} error says were searched; empty for any other value. */
export function credentialsSearched(error: unknown): readonly string[] {
  return isCredentialsNotFound(error) ? ((error as unknown as Record<symbol, string[]>)[searched] ?? []) : [];
}
