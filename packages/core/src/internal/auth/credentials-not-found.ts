import { ZerobusError } from "../../zerobus-error.js";

/**
 * The error a provider throws when its source is simply not configured (no variable set, no profile), as
 * opposed to configured and failing. It is an `auth_failed`, not retryable: retrying cannot make
 * credentials appear.
 *
 * @param message - what the provider looked for, e.g. `no Databricks credentials found; looked for: …`
 */
export function credentialsNotFound(message: string): ZerobusError {
  return new ZerobusError("auth_failed", message, { retryable: false });
}
