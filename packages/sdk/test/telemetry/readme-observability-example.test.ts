// Runs README "Observability"'s Prometheus example (readme-observability-example.ts, as a user would: a
// Node process over the built SDK) against the mock server, then scrapes its exporter on loopback and
// checks the series the README's PromQL lines use.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { transform } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, "../..");
let server: MockServer;
let child: ChildProcess | undefined;
let scratch: string | undefined;

beforeAll(async () => {
  if (!existsSync(join(packageDir, "dist/index.js"))) {
    await run("pnpm", ["turbo", "run", "build", "--filter=@zerobus/sdk..."], { cwd: packageDir });
  }
  server = await createMockServer();
}, 180_000);
afterAll(async () => {
  child?.kill();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  await server?.close();
});

/** A loopback port nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

it("serves the SDK's metrics to Prometheus: acknowledged records, ack latency buckets", async () => {
  const source = readFileSync(join(import.meta.dirname, "readme-observability-example.ts"), "utf8");
  const { code } = await transform(source, { loader: "ts", format: "esm", target: "node20" });
  // Inside the sdk package, so `@zerobus/sdk` resolves to its own dist/ (self-reference) and the
  // OpenTelemetry packages to its devDependencies.
  scratch = mkdtempSync(join(import.meta.dirname, ".example-"));
  const file = join(scratch, "example.mjs");
  writeFileSync(file, code);
  const port = await freePort();
  child = spawn(process.execPath, [file], {
    cwd: packageDir,
    env: {
      ...process.env,
      ZEROBUS_SERVER_ENDPOINT: server.endpoint,
      DATABRICKS_HOST: server.workspaceUrl,
      DATABRICKS_CLIENT_ID: server.credentials.clientId,
      DATABRICKS_CLIENT_SECRET: server.credentials.clientSecret,
      METRICS_PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise((resolve) => child?.once("exit", resolve));
  await Promise.race([
    new Promise<void>((resolve) => {
      const check = () => (output.includes("streamed 1000 readings") ? resolve() : setTimeout(check, 20));
      check();
    }),
    exited.then(() => {
      throw new Error(`the example exited early:\n${output}`);
    }),
  ]);
  expect(output).toContain(`metrics at http://localhost:${port}/metrics`);

  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  const sample = (name: string) => {
    const line = text
      .split("\n")
      .find((l) => l.startsWith(`${name}{`) && l.includes('zerobus_table="main.iot.readings"'));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
  };
  // rate(zerobus_records_acknowledged_total[5m]) in the README reads this counter.
  expect(sample("zerobus_records_acknowledged_total")).toBe(1000);
  expect(sample("zerobus_records_accepted_total")).toBe(1000);
  // histogram_quantile(0.99, … zerobus_ack_duration_bucket …) reads these buckets (this exporter adds no
  // unit suffix to the name: `s` is in the # UNIT line).
  expect(text).toMatch(/^zerobus_ack_duration_bucket\{.*le="\+Inf"\} [1-9]/m);
  expect(text).toMatch(/^# UNIT zerobus_ack_duration s$/m);
  expect(sample("zerobus_ack_duration_count")).toBeGreaterThan(0);
  expect(text).toMatch(/^zerobus_connection_attempts_total\{.*zerobus_connection_reason="create".*\} 1/m);
  expect(server.table("main.iot.readings").recordCount).toBe(1000);

  // SIGTERM stops it: the exporter shuts down and the process ends by itself, with status 0.
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
});
