import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ZerobusError } from "@zerobus/core";
import type { DatabricksSettings } from "./databricks-settings.js";
import { settingsFromProfile } from "./databricks-settings.js";
import { DEFAULT_CONFIG_FILE, DEFAULT_PROFILE, ENV_CONFIG_FILE, ENV_CONFIG_PROFILE } from "./env-names.js";
import { parseConfigFile } from "./parse-config-file.js";

/** Which file and profile to read; unset fields fall back to the environment, then the defaults. */
export interface ProfileOptions {
  profile?: string;
  path?: string;
}

/** A profile found, or what was looked for in vain. */
export type ProfileLookup =
  | { found: true; settings: DatabricksSettings; where: string }
  | { found: false; lookedFor: string };

/**
 * Reads one profile as the Databricks SDKs do. The file is `path`, else `DATABRICKS_CONFIG_FILE`, else
 * `~/.databrickscfg`; the profile is `profile`, else `DATABRICKS_CONFIG_PROFILE`, else the file's
 * `[__settings__] default_profile`, else `[DEFAULT]`. A missing file or a missing implicit `[DEFAULT]` is
 * "not found"; a profile named explicitly but absent from an existing file is an `invalid_argument`.
 */
export async function readProfile(options: ProfileOptions = {}): Promise<ProfileLookup> {
  const path = expandHome(options.path ?? nonEmpty(process.env[ENV_CONFIG_FILE]) ?? DEFAULT_CONFIG_FILE);
  const explicit = options.profile ?? nonEmpty(process.env[ENV_CONFIG_PROFILE]);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      const what = explicit === undefined ? "a config file" : `a config file with profile [${explicit}]`;
      return { found: false, lookedFor: `${what} at ${path} (no such file)` };
    }
    throw new ZerobusError(
      "invalid_argument",
      `cannot read the Databricks config file ${path} (${String(code)})`,
      {
        cause: error,
      },
    );
  }
  const sections = parseConfigFile(text, path);
  const profile =
    explicit ?? nonEmpty(sections.get("__settings__")?.get("default_profile")) ?? DEFAULT_PROFILE;
  const values = sections.get(profile);
  if (values === undefined) {
    if (explicit === undefined && profile === DEFAULT_PROFILE) {
      return { found: false, lookedFor: `a [${DEFAULT_PROFILE}] profile in ${path} (none)` };
    }
    const known = [...sections.keys()].filter((name) => name !== "__settings__");
    throw new ZerobusError(
      "invalid_argument",
      `${path} has no [${profile}] profile (profiles: ${known.length === 0 ? "none" : known.join(", ")})`,
    );
  }
  const where = `profile [${profile}] of ${path}`;
  return { found: true, settings: settingsFromProfile(values, where), where };
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === "" ? undefined : trimmed;
}
