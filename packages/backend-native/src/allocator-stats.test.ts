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
