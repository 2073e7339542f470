import type { HeadersProvider, Logger } from "@zerobus/core";
import { silentLogger, toLogger } from "@zerobus/core";
import { configuresAnything, mergeSettings, settingsFromEnv } from "./databricks-settings.js";
import { ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_CONFIG_PROFILE, ENV_HOST, ENV_TOKEN } from "./env-names.js";
import { lazyProvider } from "./lazy-provider.js";
import { providerFromSettings } from "./provider-from-settings.js";
import { readProfile } from "./read-profile.js";

/** Options of {@link fromEnv} and {@link fromConfigFile}. */
export interface EnvProviderOptions {
  /** Receives debug lines (which source was chosen); never a secret. `console`, pino and bunyan loggers all keep their fields. */
  logger?: Logger;
}

/**
 * Databricks unified auth, as the Databricks CLI and SDKs resolve it: `DATABRICKS_HOST`,
 * `DATABRICKS_CLIENT_ID`, `DATABRICKS_CLIENT_SECRET`, `DATABRICKS_TOKEN`, then a profile of the config file
 * (`DATABRICKS_CONFIG_FILE`, else `~/.databrickscfg`; `DATABRICKS_CONFIG_PROFILE`, else `[DEFAULT]`) for
 * what the variables leave unset. As in those SDKs, the default profile is skipped when the variables
 * already configure a host or credentials and no profile is named.
 *
 * Client id + secret (with a host) give `fromOAuthClientCredentials`; a token gives `fromToken`; both is
 * an error. The variables and the file are read at the first `getHeaders` call, not here, and again
 * after a `reason: "unauthenticated"` call. With nothing configured, `getHeaders` rejects with
 * `auth_failed` listing everything it looked for.
 *
 * @example
 * ```ts
 * import { fromEnv } from "@zerobus/auth-env";
 * const stream = await sdk.createStreamWithHeadersProvider("main.default.events", fromEnv());
 * ```
 */
export function fromEnv(options: EnvProviderOptions = {}): HeadersProvider {
  const logger = options.logger === undefined ? silentLogger : toLogger(options.logger, "logger of fromEnv");
  return lazyProvider("DatabricksEnvProvider", {}, async () => {
    const fromVariables = settingsFromEnv();
    const lookedFor = [`${ENV_CLIENT_ID} and ${ENV_CLIENT_SECRET} (with ${ENV_HOST})`, ENV_TOKEN];
    const profileNamed = Boolean(process.env[ENV_CONFIG_PROFILE]?.trim());
    if (configuresAnything(fromVariables) && !profileNamed) {
      return providerFromSettings(fromVariables, lookedFor, logger);
    }
    const profile = await readProfile();
    if (!profile.found) return providerFromSettings(fromVariables, [...lookedFor, profile.lookedFor], logger);
    logger.debug("read Databricks settings", { from: profile.where });
    return providerFromSettings(
      mergeSettings(fromVariables, profile.settings),
      [...lookedFor, profile.where],
      logger,
    );
  });
}
