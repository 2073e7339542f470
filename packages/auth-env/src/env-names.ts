/** The workspace URL (for OAuth): `https://<instance>.cloud.databricks.com` or an Azure `adb-…` URL. */
export const ENV_HOST = "DATABRICKS_HOST";
/** The service principal's OAuth client id. */
export const ENV_CLIENT_ID = "DATABRICKS_CLIENT_ID";
/** The service principal's OAuth secret. */
export const ENV_CLIENT_SECRET = "DATABRICKS_CLIENT_SECRET";
/** A bearer token used as is (a personal access token). */
export const ENV_TOKEN = "DATABRICKS_TOKEN";
/** The profile (section) of the config file to use. */
export const ENV_CONFIG_PROFILE = "DATABRICKS_CONFIG_PROFILE";
/** The config file to read instead of `~/.databrickscfg`. */
export const ENV_CONFIG_FILE = "DATABRICKS_CONFIG_FILE";
/** Where the Databricks CLI keeps its profiles. */
export const DEFAULT_CONFIG_FILE = "~/.databrickscfg";
/** The profile used when none is named. */
export const DEFAULT_PROFILE = "DEFAULT";
