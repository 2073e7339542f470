import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";

export { testHeadersContext as headersContext } from "@zerobus/test-support";

const variables = [
  "DATABRICKS_HOST",
  "DATABRICKS_CLIENT_ID",
  "DATABRICKS_CLIENT_SECRET",
  "DATABRICKS_TOKEN",
  "DATABRICKS_CONFIG_PROFILE",
  "DATABRICKS_CONFIG_FILE",
  "http_proxy",
  "HTTP_PROXY",
  "https_proxy",
  "HTTPS_PROXY",
  "all_proxy",
  "ALL_PROXY",
];

/**
 * A clean slate for one test: every Databricks and proxy variable unset, `HOME` and the config file in a
 * fresh temporary directory. Returns that directory and a writer for `<dir>/<name>`.
 */
export async function isolatedEnv(): Promise<{
  dir: string;
  write(name: string, text: string): Promise<string>;
}> {
  const dir = await mkdtemp(join(tmpdir(), "zerobus-auth-env-"));
  for (const name of variables) vi.stubEnv(name, "");
  vi.stubEnv("HOME", dir);
  return {
    dir,
    async write(name, text) {
      const file = join(dir, name);
      await writeFile(file, text);
      return file;
    },
  };
}

/** Removes a directory made by {@link isolatedEnv} and restores the environment. */
export async function restoreEnv(dir: string | undefined): Promise<void> {
  vi.unstubAllEnvs();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}
