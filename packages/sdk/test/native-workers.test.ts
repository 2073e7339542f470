import { spawn } from "node:child_process";
import { join } from "node:path";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, expect, it } from "vitest";

const packageDir = join(import.meta.dirname, "..");
const nativeBuilt = await import("@zerobus/backend-native").then(
  (native) => native.isNativeAvailable(),
  () => false,
);
let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await server.close();
});

/**
 * A child process whose main thread runs 20 workers one after another; each loads the SDK on the native
 * backend with a logger, opens a stream, ingests 50 records, closes and exits. The main thread must survive every unload
 * of the addon's per-worker state (its thread-safe functions, the log forwarding) and exit by itself.
 */
const child = `
  import { Worker } from "node:worker_threads";
  const [endpoint, authorization, table] = process.argv.slice(1);
  const body = \`
    import { workerData } from "node:worker_threads";
    import { ZerobusSdk } from \${JSON.stringify(${JSON.stringify(join(packageDir, "dist/index.js"))})};
    const { endpoint, authorization, table, round } = workerData;
    // A logger: the native log forwarding of this worker's addon instance is set up, and torn down at exit.
    const lines = [];
    const log = (message) => lines.push(message);
    const logger = { debug: log, info: log, warn: log, error: log };
    const sdk = new ZerobusSdk(endpoint, undefined, { backend: "native", allowInsecure: true, workspaceId: "1234", logger });
    const stream = await sdk.createStreamWithHeadersProvider(table, () => ({ authorization }));
    for (let n = 0; n < 50; n++) await stream.ingestRecord({ round, n });
    await stream.close();
    await sdk.close();
  \`;
  for (let round = 0; round < 20; round++) {
    const worker = new Worker(body, { eval: true, workerData: { endpoint, authorization, table, round } });
    const code = await new Promise((resolve, reject) => {
      worker.on("error", reject);
      worker.on("exit", resolve);
    });
    if (code !== 0) throw new Error("worker " + round + " exited with " + code);
  }
  console.log("main thread survived 20 workers");
`;

it.runIf(nativeBuilt)(
  "20 workers in a row load the native addon, stream, close and exit; the main thread survives and exits",
  async () => {
    const table = "main.native_workers.t1";
    const process_ = spawn(
      process.execPath,
      ["--input-type=module", "-e", child, server.endpoint, server.headers(table).authorization ?? "", table],
      { cwd: packageDir },
    );
    let output = "";
    process_.stdout.on("data", (chunk) => {
      output += chunk;
    });
    process_.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const code = await new Promise<number | string | null>((resolve) => {
      const timer = setTimeout(() => {
        process_.kill("SIGKILL");
        resolve("hung");
      }, 60_000);
      process_.on("exit", (exitCode, signal) => {
        clearTimeout(timer);
        resolve(exitCode ?? signal);
      });
    });
    expect(output).toContain("main thread survived 20 workers");
    expect(code, output).toBe(0);
    expect(server.table(table).recordCount).toBe(20 * 50);
  },
  90_000,
);
