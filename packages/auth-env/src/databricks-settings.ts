import { ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_HOST, ENV_TOKEN } from "./env-names.js";

/** One setting and where it came from (`DATABRICKS_TOKEN`, `token in profile [DEFAULT] of …`). */
export interface Setting {
  value: string;
  source: string;
}

/** The unified-auth settings this package uses. */
export interface DatabricksSettings {
  host?: Setting;
  clientId?: Setting;
  clientSecret?: Setting;
  token?: Setting;
}

/** Setting name → environment variable and config-file key. */
export const settingNames = {
  host: { env: ENV_HOST, key: "host" },
  clientId: { env: ENV_CLIENT_ID, key: "client_id" },
  clientSecret: { env: ENV_CLIENT_SECRET, key: "client_secret" },
  token: { env: ENV_TOKEN, key: "token" },
} as const;

type SettingName = keyof typeof settingNames;
const names = Object.keys(settingNames) as SettingName[];

/** The settings present in the environment now. Empty variables count as unset, as in the Databricks SDKs. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabricksSettings {
  const settings: DatabricksSettings = {};
  for (const name of names) {
    const variable = settingNames[name].env;
    const value = env[variable]?.trim();
    if (value) settings[name] = { value, source: variable };
  }
  return settings;
}

/** The settings of one config-file profile. */
export function settingsFromProfile(values: Map<string, string>, where: string): DatabricksSettings {
  const settings: DatabricksSettings = {};
  for (const name of names) {
    const { key } = settingNames[name];
    const value = values.get(key);
    if (value) settings[name] = { value, source: `${key} in ${where}` };
  }
  return settings;
}

/** `primary` with the settings it lacks taken from `fallback` (environment variables win over the file). */
export function mergeSettings(primary: DatabricksSettings, fallback: DatabricksSettings): DatabricksSettings {
  return { ...fallback, ...primary };
}

/** True when the settings name any credential or a host (the SDKs then skip the default profile). */
export function configuresAnything(settings: DatabricksSettings): boolean {
  return names.some((name) => settings[name] !== undefined);
}
