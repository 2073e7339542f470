import { fromOAuthClientCredentials } from "@zerobus/auth-oauth";
import { fromToken } from "@zerobus/auth-static";
import type { HeadersProvider, Logger } from "@zerobus/core";
import { isZerobusError, ZerobusError } from "@zerobus/core";
import { credentialsNotFound } from "@zerobus/core/internal";
import type { DatabricksSettings, Setting } from "./databricks-settings.js";

/**
 * Chooses the credentials the settings describe: OAuth client credentials (`client_id` + `client_secret`,
 * with `host`) or a static `token`. Both at once is refused, as the Databricks SDKs refuse "more than
 * one authorization method"; half an OAuth pair or OAuth without a host is an `invalid_argument` naming
 * where each value came from; nothing at all is {@link credentialsNotFound} listing `lookedFor`.
 */
export function providerFromSettings(
  settings: DatabricksSettings,
  lookedFor: readonly string[],
  logger: Logger,
): HeadersProvider {
  const { host, clientId, clientSecret, token } = settings;
  const oauth = clientId ?? clientSecret;
  if (oauth !== undefined && token !== undefined) {
    throw new ZerobusError(
      "invalid_argument",
      `more than one authorization method is configured: OAuth client credentials (${oauth.source}) and a token (${token.source}); keep one`,
    );
  }
  if (oauth !== undefined) {
    if (clientId === undefined || clientSecret === undefined) {
      const missing = clientId === undefined ? "client id" : "client secret";
      throw new ZerobusError("invalid_argument", `${oauth.source} is set but no OAuth ${missing} is`);
    }
    if (host === undefined) {
      throw new ZerobusError(
        "invalid_argument",
        `OAuth client credentials (${clientId.source}) need the workspace URL: set DATABRICKS_HOST or host in the profile`,
      );
    }
    logger.debug("using OAuth client credentials", { clientId: clientId.source, host: host.source });
    // The refusal names the option it is about: blame the setting it came from, not always the host.
    const refused = (message: string) =>
      message.includes("clientSecret") ? clientSecret : message.includes("clientId") ? clientId : host;
    return explained(refused, () =>
      fromOAuthClientCredentials({
        workspaceUrl: host.value,
        clientId: clientId.value,
        clientSecret: clientSecret.value,
        logger,
      }),
    );
  }
  if (token !== undefined) {
    logger.debug("using a static token", { token: token.source });
    return explained(
      () => token,
      () => fromToken(token.value),
    );
  }
  throw credentialsNotFound(`no Databricks credentials found; looked for: ${lookedFor.join("; ")}`);
}

/** Builds a provider, prefixing a refusal with where the refused value came from (`settingOf` its message). */
function explained(settingOf: (message: string) => Setting, build: () => HeadersProvider): HeadersProvider {
  try {
    return build();
  } catch (error) {
    if (!isZerobusError(error)) throw error;
    const setting = settingOf(error.rawMessage);
    throw new ZerobusError(error.code, `${setting.source} is not usable: ${error.rawMessage}`, {
      cause: error,
      retryable: false,
    });
  }
}
