import { resolveStreamOptions } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer, GrpcStatusCode } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBackend } from "./index.js";

/** `stats().connections` on native: every connection the Rust core opened, the first included. */
let server: MockServer;
let backend: StreamRegistry;

beforeAll(async () => {
  server = await createMockServer();
  backend = localStreams(createBackend, server.endpoint);
});
afterAll(async () => {
  await backend.close();
  await server.close();
});

it("counts the first connection and each reconnection of the Rust core", async () => {
  const table = "main.native_stats.t1";
  server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 1 } }]);
  const stream = await backend.openStream(
    { tableName: table },
    resolveStreamOptions({ recoveryBackoffMs: 10 }, { hasDescriptor: false }),
    { getHeaders: () => server.headers(table) },
  );
  await expect.poll(() => stream.stats().connections).toBe(1);
  await stream.waitForOffset(await stream.ingestRecord('{"n":0}'));
  await expect.poll(() => stream.stats().connections).toBe(2);
  expect(server.table(table).connections).toHaveLength(2);
  expect(stream.stats()).toMatchObject({ recoveries: 1, recordsAcked: 1 });
  await stream.close();
});
