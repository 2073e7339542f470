import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { GrpcStatusCode } from "../status.js";
import { openJsonStream, TestStream } from "../test-support/test-stream.js";

let server: MockServer;
let tableCount = 0;
/** A fresh table per test, so tests share one server without sharing scripts. */
const freshTable = () => `main.scripts.t${++tableCount}`;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

function connect(table: string): TestStream {
  const stream = new TestStream(server.address, server.headers(table));
  stream.create(table);
  return stream;
}

describe("create steps", () => {
  it("create: answers slowly with the scripted stream id", async () => {
    const table = freshTable();
    server.script(table, [{ create: { streamId: "stream-1", delayMs: 200 } }]);
    const started = Date.now();
    const stream = connect(table);
    const response = await stream.next();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(response.payload).toMatchObject({ case: "createStreamResponse", value: { streamId: "stream-1" } });
    stream.cancel();
    stream.close();
  });

  it("create delay holds back requests sent meanwhile, which are then handled in order", async () => {
    const table = freshTable();
    server.script(table, [{ create: { delayMs: 100 } }]);
    const stream = connect(table);
    stream.json(0n, '{"n":0}');
    stream.json(1n, '{"n":1}');
    expect((await stream.next()).payload.case).toBe("createStreamResponse");
    expect(await stream.acks(2)).toEqual([0n, 1n]);
    stream.cancel();
    stream.close();
  });

  it("failCreate: ends the create with any status, then the next connection succeeds", async () => {
    const table = freshTable();
    const script = server.script(table, [
      { failCreate: { code: GrpcStatusCode.UNAVAILABLE, details: "try later" }, delayMs: 50 },
      { failCreate: GrpcStatusCode.NOT_FOUND },
    ]);
    const first = connect(table);
    expect(await first.status).toMatchObject({ code: GrpcStatusCode.UNAVAILABLE, details: "try later" });
    const second = connect(table);
    expect(await second.status).toMatchObject({
      code: GrpcStatusCode.NOT_FOUND,
      details: "NOT_FOUND: injected by the mock server script",
    });
    expect(script.done).toBe(true);
    const third = connect(table);
    expect((await third.next()).payload.case).toBe("createStreamResponse");
    for (const stream of [first, second, third]) {
      stream.cancel();
      stream.close();
    }
  });

  it("acceptThenDrop: answers the create, then ends the stream at once", async () => {
    const table = freshTable();
    server.script(table, [{ acceptThenDrop: true }, { acceptThenDrop: { status: GrpcStatusCode.INTERNAL } }]);
    const first = connect(table);
    expect((await first.next()).payload.case).toBe("createStreamResponse");
    expect((await first.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    const second = connect(table);
    expect((await second.next()).payload.case).toBe("createStreamResponse");
    expect((await second.status).code).toBe(GrpcStatusCode.INTERNAL);
    first.close();
    second.close();
  });

  it("a connection-scoped script runs again on every connection (a reconnect storm)", async () => {
    const table = freshTable();
    server.script(table, [{ acceptThenDrop: true }], { scope: "connection" });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const stream = connect(table);
      expect((await stream.next()).payload.case).toBe("createStreamResponse");
      expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
      stream.close();
    }
    expect(server.table(table).connections.map((c) => c.end)).toEqual(
      Array(3).fill({
        by: "server",
        code: GrpcStatusCode.UNAVAILABLE,
        details: "stream dropped by the server after create",
      }),
    );
  });
});

describe("stream steps", () => {
  it("fail after N records: acks those records, then ends with the status", async () => {
    const table = freshTable();
    server.script(table, [
      { fail: { code: GrpcStatusCode.INTERNAL, details: "boom" }, after: { records: 3 } },
    ]);
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    stream.jsonBatch(1n, ["{}", "{}"]);
    stream.json(2n, "{}");
    expect(await stream.acks(2)).toEqual([0n, 1n]);
    expect(await stream.status).toMatchObject({ code: GrpcStatusCode.INTERNAL, details: "boom" });
    stream.close();
    expect(server.table(table).connections[0]?.end).toEqual({
      by: "server",
      code: GrpcStatusCode.INTERNAL,
      details: "boom",
    });
  });

  it("fail after N requests, counted from the previous step", async () => {
    const table = freshTable();
    server.script(table, [
      { ackWithoutOffset: true, after: { requests: 1 } },
      { fail: GrpcStatusCode.ABORTED, after: { requests: 2 } },
    ]);
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    expect(await stream.acks(1)).toEqual([0n]);
    expect((await stream.next()).payload.case).toBe("ingestRecordResponse");
    stream.json(1n, "{}");
    expect(await stream.acks(1)).toEqual([1n]);
    stream.json(2n, "{}");
    expect(await stream.acks(1)).toEqual([2n]);
    expect((await stream.status).code).toBe(GrpcStatusCode.ABORTED);
    stream.close();
  });

  it("end: closes the stream cleanly with OK", async () => {
    const table = freshTable();
    server.script(table, [{ end: true, after: { records: 1 } }]);
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    expect(await stream.acks(1)).toEqual([0n]);
    expect((await stream.status).code).toBe(GrpcStatusCode.OK);
    stream.close();
  });

  it("drop: destroys the transport connection", async () => {
    const table = freshTable();
    server.script(table, [{ drop: true, after: { records: 1 } }]);
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    stream.close();
    expect(server.table(table).connections[0]?.end).toEqual({ by: "transport", how: "dropped" });
  });

  it("closeSignal: sends the duration, then ends the stream once it has passed", async () => {
    const table = freshTable();
    server.script(table, [{ closeSignal: { seconds: 0, nanos: 300_000_000 }, after: { records: 1 } }]);
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    await stream.acks(1);
    const signal = await stream.next();
    const signalled = Date.now();
    expect(signal.payload).toMatchObject({
      case: "closeStreamSignal",
      value: { duration: { seconds: 0n, nanos: 300_000_000 } },
    });
    expect((await stream.status).code).toBe(GrpcStatusCode.OK);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(250);
    stream.close();
  });

  it("closeSignal with thenEnd false leaves the stream open; an ms trigger times it", async () => {
    const table = freshTable();
    server.script(table, [{ closeSignal: { seconds: 30, thenEnd: false }, after: { ms: 150 } }]);
    const started = Date.now();
    const stream = connect(table);
    await stream.next();
    const signal = await stream.next();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(signal.payload).toMatchObject({
      case: "closeStreamSignal",
      value: { duration: { seconds: 30n } },
    });
    stream.json(0n, "{}");
    expect(await stream.acks(1)).toEqual([0n]);
    stream.cancel();
    stream.close();
  });

  it("a stream step whose connection ends first waits for the next connection", async () => {
    const table = freshTable();
    const script = server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, after: { records: 2 } }]);
    const first = connect(table);
    await first.next();
    first.json(0n, "{}");
    await first.acks(1);
    first.cancel();
    first.close();
    await server.table(table).waitFor((t) => t.connections[0]?.end !== undefined);
    expect(script.position).toBe(0);
    const second = connect(table);
    await second.next();
    second.jsonBatch(0n, ["{}", "{}"]);
    expect((await second.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    second.close();
    await script.waitDone();
  });

  it("the cursor survives reconnects through a mixed script", async () => {
    const table = freshTable();
    const script = server.script(table, [
      { fail: GrpcStatusCode.UNAVAILABLE, after: { records: 1 } },
      { failCreate: GrpcStatusCode.UNAVAILABLE },
      { create: { streamId: "third" } },
    ]);
    const first = connect(table);
    await first.next();
    first.json(0n, "{}");
    expect((await first.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    const second = connect(table);
    expect((await second.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    const third = connect(table);
    expect((await third.next()).payload).toMatchObject({ value: { streamId: "third" } });
    expect(script.done).toBe(true);
    for (const stream of [first, second, third]) stream.close();
  });

  it("waitDone names the step it is stuck at", async () => {
    const table = freshTable();
    const script = server.script(table, [{ failCreate: GrpcStatusCode.UNAVAILABLE }]);
    await expect(script.waitDone(50)).rejects.toThrow('waiting at step 0 {"failCreate":14}');
  });
});

describe("malformed responses", () => {
  async function responsesAfter(step: Parameters<MockServer["script"]>[1][number], requests: number) {
    const table = freshTable();
    server.script(table, [step]);
    const stream = connect(table);
    await stream.next();
    for (let offset = 0; offset < requests; offset += 1) stream.json(BigInt(offset), "{}");
    const acks = await stream.acks(requests);
    const raw = await stream.nextRaw();
    stream.cancel();
    stream.close();
    return { acks, raw: Buffer.from(raw).toString("hex") };
  }

  it("lowerAck: an ack one below the last", async () => {
    // ack 1 = 12 02 08 01 and the lower ack 0 = 12 02 08 00
    expect(await responsesAfter({ lowerAck: true, after: { requests: 2 } }, 2)).toEqual({
      acks: [0n, 1n],
      raw: "12020800",
    });
  });

  it("ackBeyondSent: an ack past the highest offset received", async () => {
    expect(await responsesAfter({ ackBeyondSent: true, after: { requests: 1 } }, 1)).toEqual({
      acks: [0n],
      raw: "12020801",
    });
    expect(await responsesAfter({ ackBeyondSent: { by: 5 }, after: { requests: 1 } }, 1)).toMatchObject({
      raw: "12020805",
    });
  });

  it("ackWithoutOffset: an ingest_record_response with no offset", async () => {
    expect(await responsesAfter({ ackWithoutOffset: true, after: { requests: 1 } }, 1)).toEqual({
      acks: [0n],
      raw: "1200",
    });
  });

  it("secondCreateResponse: another create response on a created stream", async () => {
    const { raw } = await responsesAfter(
      { secondCreateResponse: { streamId: "abc" }, after: { requests: 1 } },
      1,
    );
    expect(raw).toBe("0a050a03616263");
  });

  it("unknownPayload: a response with only a field the protocol does not define", async () => {
    expect(await responsesAfter({ unknownPayload: true, after: { requests: 1 } }, 1)).toMatchObject({
      raw: "7a00",
    });
  });

  it("send: any bytes", async () => {
    const raw = new Uint8Array([0x12, 0x03, 0x08, 0xac, 0x02]);
    expect(await responsesAfter({ send: raw, after: { requests: 1 } }, 1)).toMatchObject({
      raw: "120308ac02",
    });
  });

  it("records malformed acks among the acks sent", async () => {
    const table = freshTable();
    server.script(table, [{ lowerAck: true, after: { requests: 1 } }]);
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    await stream.acks(2);
    stream.cancel();
    stream.close();
    expect(server.table(table).connections[0]?.acks).toEqual([0n, -1n]);
  });
});

describe("ack policies", () => {
  it("immediate (default): one cumulative ack per request; ack 0 is encoded", async () => {
    const table = freshTable();
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    expect(Buffer.from(await stream.nextRaw()).toString("hex")).toBe("12020800");
    stream.cancel();
    stream.close();
  });

  it("delayMs: each ack comes after the delay", async () => {
    const table = freshTable();
    server.setAckPolicy(table, { delayMs: 200 });
    const stream = connect(table);
    await stream.next();
    const sent = Date.now();
    stream.json(0n, "{}");
    stream.json(1n, "{}");
    expect(await stream.acks(2)).toEqual([0n, 1n]);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(190);
    stream.cancel();
    stream.close();
  });

  it("everyRecords: acks once N records arrived; releaseAcks sends the rest", async () => {
    const table = freshTable();
    server.setAckPolicy(table, { everyRecords: 3 });
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    stream.jsonBatch(1n, ["{}", "{}"]);
    stream.json(2n, "{}");
    expect(await stream.acks(1)).toEqual([1n]);
    await server.table(table).waitForRecords(4);
    expect(server.releaseAcks(table)).toBe(1);
    expect(await stream.acks(1)).toEqual([2n]);
    stream.cancel();
    stream.close();
  });

  it("coalesceMs: one ack for everything that arrived in the window", async () => {
    const table = freshTable();
    server.setAckPolicy(table, { coalesceMs: 1000 });
    const stream = connect(table);
    await stream.next();
    for (let offset = 0n; offset < 5n; offset += 1n) stream.json(offset, "{}");
    expect(await stream.acks(1)).toEqual([4n]);
    stream.cancel();
    stream.close();
    expect(server.table(table).connections[0]?.acks).toEqual([4n]);
  });

  it("never: withholds acks until the test releases them", async () => {
    const table = freshTable();
    server.script(table, [{ ack: "never" }]);
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    stream.json(1n, "{}");
    await server.table(table).waitForRecords(2);
    expect(server.table(table).connections[0]?.acks).toEqual([]);
    server.live(table)[0]?.releaseAcks();
    expect(await stream.acks(1)).toEqual([1n]);
    stream.cancel();
    stream.close();
  });

  it("an ack step mid-script changes the policy from there on", async () => {
    const table = freshTable();
    server.script(table, [{ ackWithoutOffset: true, after: { requests: 1 } }, { ack: "never" }]);
    const stream = connect(table);
    await stream.next();
    stream.json(0n, "{}");
    expect(await stream.acks(1)).toEqual([0n]);
    await stream.next();
    stream.json(1n, "{}");
    await server.table(table).waitForRecords(2);
    expect(server.table(table).connections[0]?.acks).toEqual([0n]);
    stream.cancel();
    stream.close();
  });

  it("the server-wide default applies to tables without a policy", async () => {
    const withheld = await createMockServer({ ackPolicy: "never" });
    try {
      const stream = await openJsonStream(withheld, "main.default.t");
      stream.json(0n, "{}");
      await withheld.table("main.default.t").waitForRecords(1);
      withheld.setAckPolicy(undefined, "immediate");
      stream.json(1n, "{}");
      expect(await stream.acks(1)).toEqual([1n]);
      stream.cancel();
      stream.close();
    } finally {
      await withheld.close();
    }
  });
});

describe("test commands on live streams", () => {
  it("ends, drops and acks live streams on command", async () => {
    const table = freshTable();
    server.setAckPolicy(table, "never");
    const [a, b] = [connect(table), connect(table)];
    await Promise.all([a.next(), b.next()]);
    a.json(0n, "{}");
    await server.table(table).waitForRecords(1);
    const live = server.live(table);
    expect(live.map((c) => c.recording.id)).toEqual(server.table(table).connections.map((c) => c.id));
    live[0]?.ack(7n);
    expect(await a.acks(1)).toEqual([7n]);
    expect(server.endConnections(table, { code: GrpcStatusCode.UNAVAILABLE, details: "bye" })).toBe(2);
    expect(await a.status).toMatchObject({ code: GrpcStatusCode.UNAVAILABLE, details: "bye" });
    expect((await b.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    expect(server.live(table)).toEqual([]);
    a.close();
    b.close();
  });

  it("dropConnections destroys the transport of every live stream of the table", async () => {
    const table = freshTable();
    const stream = connect(table);
    await stream.next();
    expect(server.dropConnections(table)).toBe(1);
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    stream.close();
  });
});
