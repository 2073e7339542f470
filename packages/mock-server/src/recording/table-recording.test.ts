import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { GrpcStatusCode } from "../status.js";
import { encodeRow, rowDescriptorBytes } from "../test-support/descriptors.js";
import { openJsonStream, TestStream } from "../test-support/test-stream.js";

let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

/** Sends `batches` of JSON records on one connection, waits for their acks, then half-closes. */
async function sendOnce(table: string, batches: string[][]) {
  const stream = await openJsonStream(server, table);
  batches.forEach((records, offset) => {
    if (records.length === 1) stream.json(BigInt(offset), records[0]!);
    else stream.jsonBatch(BigInt(offset), records);
  });
  await stream.acks(batches.length);
  stream.end();
  await stream.status;
  stream.close();
}

describe("TableRecording", () => {
  it("keeps every request with its connection, offset, kind, size and records", async () => {
    const table = "main.rec.requests";
    await sendOnce(table, [['{"a":1}'], ['{"a":2}', '{"a":3}']]);
    const recording = server.table(table);
    expect(
      recording.requests.map(({ connectionId, offset, kind, records }) => ({
        connectionId,
        offset,
        kind,
        records,
      })),
    ).toEqual([
      {
        connectionId: recording.connections[0]!.id,
        offset: 0n,
        kind: "record",
        records: [{ kind: "json", json: '{"a":1}', value: { a: 1 } }],
      },
      {
        connectionId: recording.connections[0]!.id,
        offset: 1n,
        kind: "batch",
        records: [
          { kind: "json", json: '{"a":2}', value: { a: 2 } },
          { kind: "json", json: '{"a":3}', value: { a: 3 } },
        ],
      },
    ]);
    expect(recording.requests[0]!.bytes).toBe(13);
    expect(recording.recordCount).toBe(3);
    expect(recording.values).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(recording.connections[0]).toMatchObject({
      recordCount: 3,
      maxOffset: 1n,
      acks: [0n, 1n],
      recordType: "json",
    });
  });

  it("records connection metadata, peer, stream id and end", async () => {
    const table = "main.rec.meta";
    const headers = server.headers(table);
    const stream = new TestStream(server.address, { ...headers, "x-zerobus-sdk": "test/1.0" });
    stream.create(table);
    const created = await stream.next();
    stream.cancel();
    stream.close();
    const connection = server.table(table).connections[0]!;
    expect(await connection.ended).toEqual({ by: "client", how: "cancelled" });
    expect(connection.metadata).toMatchObject({
      "x-databricks-zerobus-table-name": table,
      "x-zerobus-sdk": "test/1.0",
      authorization: "Bearer <redacted>",
    });
    // Tokens are never recorded.
    expect(JSON.stringify(connection.metadata)).not.toContain(
      String(headers.authorization).slice("Bearer ".length),
    );
    expect(connection.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(created.payload.value).toEqual(expect.objectContaining({ streamId: connection.streamId }));
    expect(connection.streamId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.connections).toContain(connection);
  });

  it("assertRecords: exactly these records, in order, N times", async () => {
    const table = "main.rec.assert";
    await sendOnce(table, [['{"a":1}'], ['{"a":2}']]);
    await sendOnce(table, [['{"a":1}'], ['{"a":2}']]);
    const recording = server.table(table);
    recording.assertRecords(['{"a":1}', { a: 2 }], { times: 2 });
    expect(() => recording.assertRecords(['{"a":1}', '{"a":2}'])).toThrow(
      "expected exactly 2 record(s) × 1, received 4",
    );
    expect(() => recording.assertRecords(['{"a":2}', '{"a":1}'], { times: 2 })).toThrow();
    expect(recording.duplicates()).toBe(2);
    expect(recording.countOf('{"a":1}')).toBe(2);
    expect(recording.countOf({ a: 3 })).toBe(0);
  });

  it("assertDelivered: at-least-once, first arrivals in order, duplicates counted", async () => {
    const table = "main.rec.delivered";
    server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, after: { records: 2 } }]);
    const first = await openJsonStream(server, table);
    first.json(0n, '{"n":0}');
    first.json(1n, '{"n":1}');
    expect((await first.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    first.close();
    // The client re-sends record 1 (say its ack was lost) and continues.
    await sendOnce(table, [['{"n":1}'], ['{"n":2}']]);
    const recording = server.table(table);
    expect(recording.assertDelivered(['{"n":0}', '{"n":1}', '{"n":2}'])).toEqual({ duplicates: 1 });
    expect(() => recording.assertDelivered(['{"n":0}', '{"n":2}', '{"n":1}'])).toThrow("delivered in order");
    expect(() => recording.assertDelivered(['{"n":0}', '{"n":1}'])).toThrow();
  });

  it("compares proto records by bytes or by decoded value", async () => {
    const table = "main.rec.proto";
    const stream = new TestStream(server.address, server.headers(table));
    stream.create(table, rowDescriptorBytes());
    await stream.next();
    const bytes = encodeRow({ id: 1n, name: "a" });
    stream.proto(0n, bytes);
    await stream.acks(1);
    stream.cancel();
    stream.close();
    server.table(table).assertRecords([bytes]);
    server.table(table).assertRecords([{ id: "1", name: "a" }]);
    expect(() => server.table(table).assertRecords([encodeRow({ id: 2n })])).toThrow();
  });

  it("waitForRecords and waitForConnections resolve on arrival and reject naming what is missing", async () => {
    const table = "main.rec.wait";
    const waiting = server.table(table).waitForRecords(2);
    await sendOnce(table, [['{"a":1}'], ['{"a":2}']]);
    await waiting;
    await server.table(table).waitForConnections(1);
    await expect(server.table(table).waitForRecords(3, { timeoutMs: 50 })).rejects.toThrow(
      "table main.rec.wait: 3 records not met after 50 ms (1 connection(s), 1 ended, 2 record(s))",
    );
  });

  it("reset forgets tables, scripts and connections and ends live streams", async () => {
    const local = await createMockServer();
    try {
      local.script("main.rec.reset", [{ failCreate: GrpcStatusCode.UNAVAILABLE }]);
      const stream = await openJsonStream(local, "main.rec.other");
      local.reset();
      expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
      stream.close();
      expect([local.tables.size, local.connections.length]).toEqual([0, 0]);
      const fresh = await openJsonStream(local, "main.rec.reset");
      fresh.cancel();
      fresh.close();
    } finally {
      await local.close();
    }
  });
});
