#!/usr/bin/env node
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCliArgs, USAGE } from "./cli/parse-cli-args.js";
import { createMockServer } from "./create-mock-server.js";

/** `zerobus-mock`: runs a mock server until SIGINT/SIGTERM and prints where it listens. */
async function main(): Promise<void> {
  let config: ReturnType<typeof parseCliArgs>;
  try {
    config = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`zerobus-mock: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  const server = await createMockServer(config.verbose ? { ...config.options, log } : config.options);
  let caDir: string | undefined;
  let caPath: string | undefined;
  if (server.ca) {
    caDir = await mkdtemp(join(tmpdir(), "zerobus-mock-"));
    caPath = join(caDir, "ca.pem");
    await writeFile(caPath, server.ca);
  }
  const info = {
    endpoint: server.endpoint,
    workspaceUrl: server.workspaceUrl,
    tokenUrl: server.tokenUrl,
    clientId: server.credentials.clientId,
    caPath,
  };
  if (config.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    process.stdout.write(
      [
        "zerobus-mock is running",
        `endpoint: ${info.endpoint}`,
        `workspace URL: ${info.workspaceUrl}`,
        `token URL: ${info.tokenUrl}`,
        `client id: ${info.clientId}`,
        ...(caPath ? [`CA: ${caPath}`, `(Rust clients: SSL_CERT_FILE=${caPath})`] : []),
        "Ctrl-C to stop",
        "",
      ].join("\n"),
    );
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await server.close();
      if (caDir) await rm(caDir, { recursive: true, force: true });
      process.stderr.write(`zerobus-mock stopped (${signal})\n`);
      process.exit(0);
    })();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`zerobus-mock: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
