import { resolveStreamOptions } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer, GrpcStatusCode } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, expect, it, onTestFinished } from "vitest";
import { createBackend } from "./index.js";
import { loadNative } from "./load-native.js";

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

/**
 * The Rust core hands acks to the binding on its own callback task; when the server acknowledges a request and
 * fails right after, the failure can be seen before that task delivered the ack. The ack must still count:
 * otherwise the records the server acknowledged are taken as lost and sent again (duplicates in the table).
 */
it("counts the acks the server sent just before it failed, so nothing acknowledged is sent again", async () => {
  // The callback task holds each ack back, so the failure always wins the race.
  loadNative().__setAckDelayForTests(150);
  onTestFinished(() => loadNative().__setAckDelayForTests(0));
  const tables = Array.from({ length: 20 }, (_, n) => `main.native_race.acked_then_failed_${n}`);
  const resent = await Promise.all(
    tables.map(async (table) => {
      server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, after: { records: 10 } }]);
      const stream = await streams.openStream(
        { tableName: table },
        resolveStreamOptions({ recoveryBackoffMs: 5, recoveryBackoffMaxMs: 5 }, { hasDescriptor: false }),
        { getHeaders: () => server.headers(table) },
      );
      const records = Array.from({ length: 10 }, (_, n) => JSON.stringify({ n }));
      await stream.ingestRecords(records);
      await server.table(table).waitForConnections(1);
      await server.table(table).connections[0]!.ended;
      await stream.flush();
      const { recordsResent } = stream.stats();
      await stream.close();
      server.table(table).assertDelivered(records);
      return recordsResent;
    }),
  );
  expect(resent).toEqual(tables.map(() => 0));
}, 60_000);
