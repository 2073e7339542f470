import { resolveStreamOptions } from "@zerobus/core";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBackend, nativeAllocatorStats, resetNativeAllocatorPeak } from "./index.js";

let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await server.close();
});

it("counts what the Rust core holds: records withheld from acks raise the live bytes, the acks lower them", async () => {
  const table = "main.native_allocator.t1";
  server.setAckPolicy(table, "never");
  const streams = localStreams(createBackend, server.endpoint);
  const stream = await streams.openStream(
    { tableName: table },
    resolveStreamOptions({}, { hasDescriptor: false }),
    {
      getHeaders: () => server.headers(table),
    },
  );
  // The new high-water mark starts from what is held now (the runtime, the open stream).
  const before = resetNativeAllocatorPeak();
  expect(before).toBeGreaterThan(0);
  // 2,000 records of 1 KB: about 2 MB the core keeps for re-sending until they are acknowledged.
  const record = JSON.stringify({ pad: "x".repeat(1000) });
  for (let batch = 0; batch < 20; batch++)
    await stream.ingestRecords(Array.from({ length: 100 }, () => record));
  await server.table(table).waitForRecords(2_000);
  const held = nativeAllocatorStats();
  expect(held.liveBytes - before).toBeGreaterThan(2_000 * 1_000);
  expect(held.peakBytes).toBeGreaterThanOrEqual(held.liveBytes);
  server.setAckPolicy(table, "immediate");
  server.releaseAcks(table);
  await stream.flush();
  await stream.close();
  await streams.close();
  expect(nativeAllocatorStats().liveBytes - before).toBeLessThan(1_000_000);
});

it("reads the records it sent back from the binding for a snapshot, and to send them again after a failure", async () => {
  // The engine drops its copy of each request once the native connection took it (W5 of the bench shows the
  // heap staying flat; here the mock server shares the process, and keeps every record it receives).
  const table = "main.native_allocator.t2";
  server.setAckPolicy(table, "never");
  server.script(table, [{ fail: 14, after: { records: 20_000 } }]);
  const streams = localStreams(createBackend, server.endpoint);
  const stream = await streams.openStream(
    { tableName: table },
    resolveStreamOptions({}, { hasDescriptor: false }),
    {
      getHeaders: () => server.headers(table),
    },
  );
  // 20,000 distinct records of about 1 KB, sent in batches of 100 and a few single records.
  const records: string[] = [];
  for (let batch = 0; batch < 200; batch++) {
    const made = Array.from({ length: 100 }, (_, n) =>
      JSON.stringify({ n: batch * 100 + n, pad: "x".repeat(1000) }),
    );
    records.push(...made);
    if (batch % 50 === 0) for (const record of made) await stream.ingestRecord(record);
    else await stream.ingestRecords(made);
  }
  await server.table(table).waitForRecords(20_000);
  expect(stream.getUnackedRecords()).toEqual(records);
  expect(stream.getUnackedBatches()).toHaveLength(196 + 400);
  // The server fails the connection; the stream takes the records back and sends them all again, in order.
  server.setAckPolicy(table, "immediate");
  await stream.flush();
  expect(stream.stats()).toMatchObject({ recordsResent: 20_000, recordsAcked: 20_000 });
  const [first, second] = server.table(table).connections;
  expect(second!.requests.flatMap((r) => r.records)).toHaveLength(20_000);
  expect(first!.requests.flatMap((r) => r.records)).toHaveLength(20_000);
  server.table(table).assertDelivered(records);
  await stream.close();
  await streams.close();
});
