import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { HeadersContext } from "@zerobus/core";
import { resolveStreamOptions } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer, GrpcStatusCode } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend } from "./index.js";

/**
 * How native streams end when their creation is abandoned or refused, or their close gives up, and the
 * reasons their header requests carry: nothing may stay live on the server, and the process must be
 * able to exit.
 */
let server: MockServer;
const backends: StreamRegistry[] = [];
let tables = 0;
const nextTable = () => `main.native_lifecycle.t${++tables}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = (overrides = {}) => resolveStreamOptions(overrides, { hasDescriptor: false });

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.close()));
  await server.close();
});

function backend(): StreamRegistry {
  const created = localStreams(createBackend, server.endpoint);
  backends.push(created);
  return created;
}

describe("a native stream's creation", () => {
  it("abandoned while the server is slow to create leaves no stream live on the server", async () => {
    const table = nextTable();
    server.script(table, [{ create: { delayMs: 500 } }]);
    const controller = new AbortController();
    const opening = backend().openStream(
      { tableName: table },
      json(),
      { getHeaders: () => server.headers(table) },
      {
        signal: controller.signal,
      },
    );
    await server.table(table).waitForConnections(1);
    controller.abort();
    await expect(opening).rejects.toMatchObject({ code: "cancelled" });
    // The server creates it after 500 ms; the abandoned creation must then drop it.
    await sleep(800);
    await expect.poll(() => server.live(table).length, { timeout: 5000 }).toBe(0);
  });

  it("asks for headers with reason create on its retries too", async () => {
    const table = nextTable();
    server.script(table, [{ failCreate: GrpcStatusCode.UNAVAILABLE }]);
    const reasons: string[] = [];
    const stream = await backend().openStream({ tableName: table }, json({ recoveryBackoffMs: 10 }), {
      getHeaders: (context: HeadersContext) => {
        reasons.push(context.reason);
        return server.headers(table);
      },
    });
    expect(server.table(table).connections).toHaveLength(2);
    expect(reasons).toEqual(["create", "create"]);
    await stream.close();
  });

  it("refused by the addon lets the process exit", async () => {
    // A DescriptorProto whose name is not UTF-8: protobuf-es reads it, prost refuses it.
    const child = `
      import { createBackend } from ${JSON.stringify(fileURLToPath(new URL("../dist/index.js", import.meta.url)))};
      import { resolveStreamOptions, silentLogger } from "@zerobus/core";
      import { StreamRegistry } from "@zerobus/core/internal";
      const [endpoint, authorization, table] = process.argv.slice(1);
      const backend = new StreamRegistry(createBackend({ endpoint, allowInsecure: true, workspaceId: "1234", logger: silentLogger }));
      const error = await backend
        .openStream(
          { tableName: table, descriptorProto: Uint8Array.from([0x0a, 0x02, 0x52, 0xff]) },
          resolveStreamOptions({}, { hasDescriptor: true }),
          () => ({ authorization, "x-databricks-zerobus-table-name": table }),
        )
        .then(() => undefined, (e) => e);
      await backend.close();
      console.log("refused: " + error?.code);
    `;
    const table = nextTable();
    const process_ = spawn(
      process.execPath,
      ["--input-type=module", "-e", child, server.endpoint, server.headers(table).authorization ?? "", table],
      { cwd: fileURLToPath(new URL("..", import.meta.url)) },
    );
    let output = "";
    process_.stdout.on("data", (chunk) => {
      output += chunk;
    });
    process_.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const exited = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        process_.kill("SIGKILL");
        resolve(false);
      }, 15_000);
      process_.on("exit", () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    expect(output).toContain("refused: invalid_argument");
    expect(exited).toBe(true);
  }, 30_000);
});

describe("a native stream's close", () => {
  it("whose flush times out cuts the connection even while the core waits for room", async () => {
    const table = nextTable();
    server.setAckPolicy(table, "never");
    // One request per record (maxMessageBytes 64), one more than the core's in-flight cap of 65,536.
    const stream = await backend().openStream(
      { tableName: table },
      json({ maxMessageBytes: 64, flushTimeoutMs: 3000 }),
      { getHeaders: () => server.headers(table) },
    );
    for (let i = 0; i < 65_537; i++) void stream.ingestRecord(`{"i":${1e12 + i},"pad":"xxxxxxxxxx"}`);
    await server.table(table).waitForRecords(65_536, { timeoutMs: 60_000 });
    await expect(stream.close()).rejects.toMatchObject({ code: "flush_timeout" });
    await expect.poll(() => server.live(table).length, { timeout: 5000 }).toBe(0);
  }, 120_000);
});
