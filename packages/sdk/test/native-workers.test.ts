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

/**
 * Workers terminated while their native stream is open and their logger installed: the addon's tokio runtime
 * and log forwarding are process-wide, so their streams and logger must be stopped with the worker (or the
 * connections stay open, and the core's log lines go to a function of a dead thread). The main thread then
 * streams on native itself, with a failure that makes the core log, and exits by itself.
 */
const terminatingChild = `
  import { Worker } from "node:worker_threads";
  import { ZerobusSdk } from ${JSON.stringify(join(packageDir, "dist/index.js"))};
  const [endpoint, authorization, table, failingTable, failingAuthorization] = process.argv.slice(1);
  const body = \`
    import { parentPort, workerData } from "node:worker_threads";
    import { ZerobusSdk } from \${JSON.stringify(${JSON.stringify(join(packageDir, "dist/index.js"))})};
    const { endpoint, authorization, table } = workerData;
    const log = () => {};
    const logger = { debug: log, info: log, warn: log, error: log };
    const sdk = new ZerobusSdk(endpoint, undefined, { backend: "native", allowInsecure: true, workspaceId: "1234", logger });
    const stream = await sdk.createStreamWithHeadersProvider(table, () => ({ authorization }));
    await stream.waitForOffset(await stream.ingestRecord({ n: 1 }));
    parentPort.postMessage("streaming");
  \`;
  for (let round = 0; round < 5; round++) {
    const worker = new Worker(body, { eval: true, workerData: { endpoint, authorization, table } });
    await new Promise((resolve, reject) => {
      worker.on("error", reject);
      worker.on("message", resolve);
    });
    await worker.terminate();
  }
  console.log("terminated 5 streaming workers");
  // The test checks the server's side now; it says when to go on.
  await new Promise((resolve) => process.stdin.once("data", resolve));
  process.stdin.pause();
  const sdk = new ZerobusSdk(endpoint, undefined, { backend: "native", allowInsecure: true, workspaceId: "1234" });
  const stream = await sdk.createStreamWithHeadersProvider(failingTable, () => ({ authorization: failingAuthorization }), {
    recovery: false,
  });
  await stream.ingestRecord({ n: 1 });
  await stream.flush().catch((error) => console.log("main stream failed as scripted: " + error.code));
  await sdk.close();
`;

it.runIf(nativeBuilt)(
  "workers terminated mid-stream take their native streams and logger with them; the main thread streams on and exits",
  async () => {
    const table = "main.native_workers.terminated";
    const failingTable = "main.native_workers.failing";
    server.setAckPolicy(failingTable, "never");
    server.script(failingTable, [{ fail: 14, after: { records: 1 } }]);
    const process_ = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        terminatingChild,
        server.endpoint,
        server.headers(table).authorization ?? "",
        table,
        failingTable,
        server.headers(failingTable).authorization ?? "",
      ],
      { cwd: packageDir },
    );
    let output = "";
    // Each worker's connection must be ended by the client when its worker goes, while the process lives on.
    const workersGone = new Promise<void>((resolve) => {
      process_.stdout.on("data", (chunk) => {
        output += chunk;
        if (output.includes("terminated 5 streaming workers")) resolve();
      });
    });
    process_.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | string | null>((resolve) => {
      const timer = setTimeout(() => {
        process_.kill("SIGKILL");
        resolve("hung");
      }, 30_000);
      process_.on("exit", (exitCode, signal) => {
        clearTimeout(timer);
        resolve(exitCode ?? signal);
      });
    });
    await workersGone;
    const connections = server.table(table).connections;
    expect(connections).toHaveLength(5);
    const ended = await Promise.race([
      Promise.all(connections.map((connection) => connection.ended)).then((ends) =>
        ends.map((end) => end.by),
      ),
      new Promise<string>((resolve) =>
        setTimeout(() => resolve("still open 3 s after the workers went"), 3_000),
      ),
    ]);
    expect(ended).toEqual(connections.map(() => "client"));
    process_.stdin.end("go on\n");
    const code = await exited;
    expect(output).toContain("main stream failed as scripted: unavailable");
    expect(code, output).toBe(0);
  },
  60_000,
);
