import { create, toBinary } from "@bufbuild/protobuf";
import { EphemeralStreamRequestSchema } from "@zerobus/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { GrpcStatusCode } from "../status.js";
import { openJsonStream, type TestStream } from "../test-support/test-stream.js";

/**
 * `at` triggers: a fail/end/drop step that runs on the request completing its trigger, before that request
 * is acknowledged, as a load balancer that cuts every connection after so many bytes does.
 */
let server: MockServer;
let tableCount = 0;
const freshTable = () => `main.at.t${++tableCount}`;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

/** The bytes an `ingest_record` request counts for: its encoded message, as `TestStream.json` sends it. */
function jsonRequestBytes(offset: bigint, record: string): number {
  const request = create(EphemeralStreamRequestSchema, {
    payload: {
      case: "ingestRecord",
      value: { offsetId: offset, record: { case: "jsonRecord", value: record } },
    },
  });
  return toBinary(EphemeralStreamRequestSchema, request).length;
}

/** Sends `count` single-record requests `{"n":0}`, `{"n":1}`… at offsets 0, 1… */
function sendSingles(stream: TestStream, count: number): void {
  for (let n = 0; n < count; n += 1) stream.json(BigInt(n), `{"n":${n}}`);
}

/** Every ack the stream received before its end, then the status. */
async function acksThenStatus(stream: TestStream): Promise<{ acks: bigint[]; code: number }> {
  const acks: bigint[] = [];
  for (;;) {
    try {
      acks.push(...(await stream.acks(1)));
    } catch {
      const { code } = await stream.status;
      stream.close();
      return { acks, code };
    }
  }
}

const SIZE = jsonRequestBytes(0n, '{"n":0}');

describe("at: ends the stream on the request that completes the trigger, unacknowledged", () => {
  it("bytes: a budget crossed mid-request acks every earlier request, never the crossing one", async () => {
    const table = freshTable();
    // Requests 1 and 2 stay under the budget; request 3 carries byte number 2.5 × SIZE.
    const budget = Math.floor(2.5 * SIZE);
    server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { bytes: budget } }]);
    const stream = await openJsonStream(server, table);
    sendSingles(stream, 3);
    expect(await acksThenStatus(stream)).toEqual({ acks: [0n, 1n], code: GrpcStatusCode.UNAVAILABLE });
    const connection = server.table(table).connections[0]!;
    expect(
      connection.requests.map(({ offset, bytes, uncommitted }) => ({ offset, bytes, uncommitted })),
    ).toEqual([
      { offset: 0n, bytes: SIZE, uncommitted: undefined },
      { offset: 1n, bytes: SIZE, uncommitted: undefined },
      { offset: 2n, bytes: SIZE, uncommitted: true },
    ]);
    expect(connection.requests[2]?.records).toEqual([{ kind: "json", json: '{"n":2}', value: { n: 2 } }]);
    expect(connection).toMatchObject({ recordCount: 2, maxOffset: 1n, acks: [0n, 1n] });
    expect(server.table(table).jsonRecords).toEqual(['{"n":0}', '{"n":1}']);
    expect(server.table(table).requests).toHaveLength(2);
  });

  it("bytes: the request that reaches the count exactly is the one cut", async () => {
    const table = freshTable();
    server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { bytes: 2 * SIZE } }]);
    const stream = await openJsonStream(server, table);
    sendSingles(stream, 3);
    expect(await acksThenStatus(stream)).toEqual({ acks: [0n], code: GrpcStatusCode.UNAVAILABLE });
  });

  it("a connection-scoped script gives every connection the same budget, counted from its create", async () => {
    const table = freshTable();
    server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { bytes: Math.floor(2.5 * SIZE) } }], {
      scope: "connection",
    });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const stream = await openJsonStream(server, table);
      sendSingles(stream, 5);
      expect(await acksThenStatus(stream)).toEqual({ acks: [0n, 1n], code: GrpcStatusCode.UNAVAILABLE });
    }
    const connections = server.table(table).connections;
    expect(connections.map((c) => c.requests.map((r) => r.uncommitted ?? false))).toEqual(
      Array(3).fill([false, false, true]),
    );
    // A connection that stays under its budget is left alone.
    const quiet = await openJsonStream(server, table);
    sendSingles(quiet, 2);
    expect(await quiet.acks(2)).toEqual([0n, 1n]);
    quiet.end();
    expect((await quiet.status).code).toBe(GrpcStatusCode.OK);
    quiet.close();
  });

  it("records: counted per record, whether they came as one batch or as singles", async () => {
    const coalesced = freshTable();
    server.script(coalesced, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 2 } }]);
    const batched = await openJsonStream(server, coalesced);
    batched.jsonBatch(0n, ['{"n":0}', '{"n":1}']);
    expect(await acksThenStatus(batched)).toEqual({ acks: [], code: GrpcStatusCode.UNAVAILABLE });
    expect(server.table(coalesced).connections[0]?.requests[0]).toMatchObject({
      kind: "batch",
      uncommitted: true,
    });

    const single = freshTable();
    server.script(single, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 2 } }]);
    const singles = await openJsonStream(server, single);
    sendSingles(singles, 2);
    expect(await acksThenStatus(singles)).toEqual({ acks: [0n], code: GrpcStatusCode.UNAVAILABLE });
  });

  it("after, unlike at, acknowledges the request that completes the trigger first", async () => {
    const table = freshTable();
    server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, after: { bytes: 2 * SIZE } }]);
    const stream = await openJsonStream(server, table);
    sendSingles(stream, 3);
    expect(await acksThenStatus(stream)).toEqual({ acks: [0n, 1n], code: GrpcStatusCode.UNAVAILABLE });
    expect(server.table(table).connections[0]?.requests.map((r) => r.uncommitted)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("end and drop take at too; at: {} cuts the next request", async () => {
    const ended = freshTable();
    server.script(ended, [{ end: true, at: {} }]);
    const first = await openJsonStream(server, ended);
    sendSingles(first, 1);
    expect(await acksThenStatus(first)).toEqual({ acks: [], code: GrpcStatusCode.OK });
    expect(server.table(ended).connections[0]?.requests[0]?.uncommitted).toBe(true);

    const dropped = freshTable();
    server.script(dropped, [{ drop: true, at: { requests: 2 } }]);
    const second = await openJsonStream(server, dropped);
    sendSingles(second, 2);
    expect(await acksThenStatus(second)).toEqual({ acks: [0n], code: GrpcStatusCode.UNAVAILABLE });
    expect(server.table(dropped).connections[0]?.end).toEqual({ by: "transport", how: "dropped" });
  });

  it("ms with at: the first request once the time has passed", async () => {
    const table = freshTable();
    server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { ms: 100 } }]);
    const stream = await openJsonStream(server, table);
    stream.json(0n, '{"n":0}');
    expect(await stream.acks(1)).toEqual([0n]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    stream.json(1n, '{"n":1}');
    expect(await acksThenStatus(stream)).toEqual({ acks: [], code: GrpcStatusCode.UNAVAILABLE });
  });

  it("the table never received an uncommitted request: delivery needs the client's re-send", async () => {
    const table = freshTable();
    server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 2 } }]);
    const first = await openJsonStream(server, table);
    sendSingles(first, 2);
    await acksThenStatus(first);
    const recording = server.table(table);
    expect(() => recording.assertDelivered(['{"n":0}', '{"n":1}'])).toThrow("delivered in order");
    // The client re-sends what was not acknowledged, on a new connection from offset 0.
    const second = await openJsonStream(server, table);
    second.json(0n, '{"n":1}');
    expect(await second.acks(1)).toEqual([0n]);
    second.cancel();
    second.close();
    expect(recording.assertDelivered(['{"n":0}', '{"n":1}'])).toEqual({ duplicates: 0 });
    recording.assertRecords(['{"n":0}', '{"n":1}']);
  });
});

describe("script checks", () => {
  it("refuses at on other steps, at with after, and unknown or negative trigger counts", () => {
    const table = freshTable();
    expect(() => server.script(table, [{ closeSignal: {}, at: {} } as never])).toThrow(
      "only fail, end and drop steps take an `at` trigger",
    );
    expect(() => server.script(table, [{ end: true, at: {}, after: {} }])).toThrow(
      "give `after` or `at`, not both",
    );
    expect(() => server.script(table, [{ end: true, after: { record: 1 } as never }])).toThrow(
      'unknown trigger "record" (use records, requests, bytes, ms)',
    );
    expect(() => server.script(table, [{ drop: true, at: { bytes: -1 } }])).toThrow(
      "bytes must be a number ≥ 0",
    );
  });
});
