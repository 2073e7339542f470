/**
 * Zerobus headers providers from the Databricks unified-auth settings users already have:
 * `DATABRICKS_*` environment variables and profiles of `~/.databrickscfg`.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_CONFIG_FILE,
  DEFAULT_PROFILE,
  ENV_CLIENT_ID,
  ENV_CLIENT_SECRET,
  ENV_CONFIG_FILE,
  ENV_CONFIG_PROFILE,
  ENV_HOST,
  ENV_TOKEN,
} from "./env-names.js";
export type { ConfigFileOptions } from "./from-config-file.js";
export { fromConfigFile } from "./from-config-file.js";
export type { EnvProviderOptions } from "./from-env.js";
export { fromEnv } from "./from-env.js";
