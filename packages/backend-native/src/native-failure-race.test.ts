import { resolveStreamOptions } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer, GrpcStatusCode } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBackend } from "./index.js";

let server: MockServer;
let streams: StreamRegistry;

beforeAll(async () => {
  server = await createMockServer();
  streams = localStreams(createBackend, server.endpoint);
});
afterAll(async () => {
  await streams.close();
  await server.close();
});

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The Rust core fails on its own thread; until its failure event reaches JS, a request handed to it finds the
 * stream gone. That request must not end the stream with `stream_closed`: the failure, retryable, recovers,
 * and the request goes out again on the next connection.
 */
it("recovers when requests race the Rust core's failure, and delivers every record in order", async () => {
  const table = "main.native_race.t1";
  // Every connection fails once it has received 40 records: 500 records make a dozen failures, each with
  // requests sent in the window between the Rust core's failure and its event reaching JS.
  server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 40 } }], { scope: "connection" });
  const stream = await streams.openStream(
    { tableName: table },
    resolveStreamOptions(
      { recoveryBackoffMs: 5, recoveryBackoffMaxMs: 5, recoveryRetries: 1000 },
      { hasDescriptor: false },
    ),
    { getHeaders: () => server.headers(table) },
  );
  const records = Array.from({ length: 500 }, (_, n) => JSON.stringify({ n }));
  for (const record of records) {
    await stream.ingestRecord(record);
    // One request per record: the next is sent on the next turn of the event loop.
    await nextTurn();
  }
  await stream.flush();
  expect(stream.state).toBe("open");
  server.table(table).assertDelivered(records);
  expect(server.table(table).connections.length).toBeGreaterThanOrEqual(10);
  await stream.close();
}, 60_000);
