import type { HeadersProvider, Logger } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";

/**
 * The provider `createStream(table)` uses when given no credentials: `fromEnv()` of `@zerobus/auth-env`
 * (`DATABRICKS_*` variables, then the `~/.databrickscfg` profile), loaded only then. It reads nothing
 * until the stream connects; with nothing configured the stream's creation rejects with `auth_failed`
 * listing what it looked for.
 */
export async function envCredentials(logger: Logger): Promise<HeadersProvider> {
  let fromEnv: typeof import("@zerobus/auth-env").fromEnv;
  try {
    ({ fromEnv } = await import("@zerobus/auth-env"));
  } catch (cause) {
    const missing = cause as { code?: unknown; message?: unknown } | null;
    // Only the package itself missing; a broken install inside it keeps its own error.
    if (missing?.code !== "ERR_MODULE_NOT_FOUND" || !String(missing.message).includes("@zerobus/auth-env")) {
      throw cause;
    }
    throw new ZerobusError(
      "invalid_argument",
      "createStream without clientId and clientSecret reads them with @zerobus/auth-env, which is not installed: install it, or pass clientId and clientSecret",
      { cause },
    );
  }
  return fromEnv({ logger });
}
