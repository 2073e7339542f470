#!/usr/bin/env node
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeMockServer } from "./admin/mock-server-info.js";
import { type AdminEndpoint, startAdminEndpoint } from "./admin/start-admin-endpoint.js";
import { formatInfoText } from "./cli/format-info-text.js";
import { type CliConfig, parseCliArgs, USAGE } from "./cli/parse-cli-args.js";
import { readTablesFile } from "./cli/read-tables-file.js";
import { createMockServer } from "./create-mock-server.js";
import type { MockServer } from "./mock-server.js";

/** Exit code of a command line the CLI cannot run: a bad option or a bad `--tables` file. */
const USAGE_ERROR = 2;

/**
 * `zerobus-mock`: runs a mock server and its admin endpoint until SIGINT/SIGTERM and prints where they
 * listen.
 */
async function main(): Promise<void> {
  let config: CliConfig;
  try {
    config = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`zerobus-mock: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(USAGE_ERROR);
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  const options = { ...config.options, ...(config.verbose ? { log } : {}) };
  if (config.tablesFile !== undefined) {
    try {
      options.tables = await readTablesFile(config.tablesFile);
    } catch (error) {
      return usageError(error);
    }
  }
  let server: MockServer;
  try {
    server = await createMockServer(options);
  } catch (error) {
    // A declaration the server refuses (an unknown column type, say) is the tables file's fault.
    if (error instanceof TypeError && config.tablesFile !== undefined) {
      return usageError(new TypeError(`--tables ${config.tablesFile}: ${error.message}`));
    }
    throw error;
  }
  let admin: AdminEndpoint | undefined;
  let caDir: string | undefined;
  const stop = async (): Promise<void> => {
    await admin?.close();
    await server.close();
    if (caDir) await rm(caDir, { recursive: true, force: true });
  };
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    void stop().then(() => {
      process.stderr.write(`zerobus-mock stopped (${signal})\n`);
      process.exit(0);
    });
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  try {
    let caPath: string | undefined;
    if (server.ca) {
      caDir = await mkdtemp(join(tmpdir(), "zerobus-mock-"));
      caPath = join(caDir, "ca.pem");
      await writeFile(caPath, server.ca);
    }
    if (config.admin)
      admin = await startAdminEndpoint(server, { ...config.admin, ...(caPath ? { caPath } : {}) });
    const info = describeMockServer(server, { adminUrl: admin?.url, caPath });
    process.stdout.write(config.json ? `${JSON.stringify(info)}\n` : formatInfoText(info));
  } catch (error) {
    await stop();
    throw error;
  }
}

function usageError(error: unknown): never {
  process.stderr.write(`zerobus-mock: ${(error as Error).message}\n`);
  process.exit(USAGE_ERROR);
}

main().catch((error: unknown) => {
  process.stderr.write(`zerobus-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
