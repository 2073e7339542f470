import type { HeadersProvider } from "@zerobus/core";
import { silentLogger, toLogger, ZerobusError } from "@zerobus/core";
import type { EnvProviderOptions } from "./from-env.js";
import { lazyProvider } from "./lazy-provider.js";
import { providerFromSettings } from "./provider-from-settings.js";
import type { ProfileOptions } from "./read-profile.js";
import { readProfile } from "./read-profile.js";

/** Options of {@link fromConfigFile}. */
export interface ConfigFileOptions extends ProfileOptions, EnvProviderOptions {}

/**
 * Credentials from one profile of a Databricks config file only (environment credentials are ignored):
 * `client_id` + `client_secret` with `host` give OAuth, `token` a static token. The file is `path`, else
 * `DATABRICKS_CONFIG_FILE`, else `~/.databrickscfg`; the profile is `profile`, else
 * `DATABRICKS_CONFIG_PROFILE`, else the file's `[__settings__] default_profile`, else `[DEFAULT]`.
 * Nothing is read here: the variables and the file are read at the first `getHeaders` call, and again
 * after a `reason: "unauthenticated"` call.
 *
 * @example
 * ```ts
 * import { fromConfigFile } from "@zerobus/auth-env";
 * const provider = fromConfigFile({ profile: "ingest" });
 * ```
 */
export function fromConfigFile(options: ConfigFileOptions = {}): HeadersProvider {
  if (typeof options !== "object" || options === null) {
    throw new ZerobusError("invalid_argument", "fromConfigFile(options): options must be an object");
  }
  for (const key of ["profile", "path"] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== "string" || value.trim() === "")) {
      throw new ZerobusError(
        "invalid_argument",
        `fromConfigFile(options): ${key} must be a non-empty string`,
      );
    }
  }
  const { profile, path } = options;
  const logger =
    options.logger === undefined ? silentLogger : toLogger(options.logger, "logger of fromConfigFile");
  const details: Record<string, string> = {};
  if (profile !== undefined) details.profile = profile;
  if (path !== undefined) details.path = path;
  return lazyProvider("DatabricksConfigFileProvider", details, async () => {
    const lookup = await readProfile({
      ...(profile === undefined ? {} : { profile }),
      ...(path === undefined ? {} : { path }),
    });
    if (!lookup.found) return providerFromSettings({}, [lookup.lookedFor], logger);
    logger.debug("read Databricks settings", { from: lookup.where });
    return providerFromSettings(lookup.settings, [lookup.where], logger);
  });
}
