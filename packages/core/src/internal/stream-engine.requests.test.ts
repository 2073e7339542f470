import { describe, expect, it, vi } from "vitest";
import type { HeldRecords } from "../backend.js";
import type { StreamOptions } from "../stream-options.js";
import { resolveStreamOptions } from "../stream-options.js";
import type { WireRequest } from "../wire-request.js";
import type { WireRecord } from "../wire-stream.js";
import { maxBatchFieldBytes } from "./landing-queue.js";
import { StreamEngine } from "./stream-engine.js";
import { batchRequestSize, lengthDelimitedSize } from "./wire-size.js";

function engine(
  options: StreamOptions = {},
  extra: Partial<ConstructorParameters<typeof StreamEngine>[0]> = {},
) {
  return new StreamEngine({ options: resolveStreamOptions(options, { hasDescriptor: false }), ...extra });
}

function drain(stream: StreamEngine): WireRequest[] {
  const requests: WireRequest[] = [];
  for (let request = stream.nextRequest(); request; request = stream.nextRequest()) requests.push(request);
  return requests;
}

const rec = (i: number) => `{"i":${i}}`;

describe("StreamEngine offsets and requests", () => {
  it("assigns offsets synchronously in call order, also to calls not awaited", async () => {
    const stream = engine();
    const pending = [
      stream.ingestRecord(rec(0)),
      stream.ingestRecords([rec(1), rec(2)]),
      stream.ingestRecord(rec(3)),
    ];
    expect(stream.nextOffset).toBe(3n);
    expect(await Promise.all(pending)).toEqual([0n, 1n, 2n]);
  });

  it("coalesces queued single records and batches into one batch request", async () => {
    const stream = engine();
    for (let i = 0; i < 3; i++) void stream.ingestRecord(rec(i));
    void stream.ingestRecords([rec(10), rec(11)]);
    void stream.ingestRecords([rec(12)]);
    void stream.ingestRecord(rec(20));
    const requests = drain(stream);
    expect(requests.map((r) => [r.wireOffset, r.batch, r.records, r.firstOffset, r.lastOffset])).toEqual([
      [0, true, [rec(0), rec(1), rec(2), rec(10), rec(11), rec(12), rec(20)], 0n, 5n],
    ]);
    expect(requests[0]?.payloadBytes).toBe(53);
    expect(requests[0]?.recordBytes).toEqual([7, 7, 7, 8, 8, 8, 8]);
  });

  it("sends a lone single record as a single request and a lone batch as it is", async () => {
    const stream = engine();
    void stream.ingestRecord(rec(0));
    const [single] = drain(stream);
    void stream.ingestRecords([rec(1), rec(2)]);
    const [batch] = drain(stream);
    expect([single?.batch, single?.records, single?.recordBytes]).toEqual([false, [rec(0)], [7]]);
    expect([batch?.batch, batch?.records, batch?.recordBytes, batch?.firstOffset]).toEqual([
      true,
      [rec(1), rec(2)],
      [7, 7],
      1n,
    ]);
  });

  it("never splits a batch: coalesced requests are cut between calls, within maxMessageBytes", async () => {
    const maxMessageBytes = 200;
    const stream = engine({ maxMessageBytes });
    const calls: string[][] = [];
    for (let i = 0; i < 60; i++) {
      // Singles and batches of 2..5 records, interleaved.
      const call =
        i % 3 === 0 ? [rec(i * 10)] : Array.from({ length: 2 + (i % 4) }, (_, k) => rec(i * 10 + k));
      calls.push(call);
      void (call.length === 1 ? stream.ingestRecord(call[0] as string) : stream.ingestRecords(call));
    }
    const requests = drain(stream);
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.length).toBeLessThan(calls.length / 2);
    expect(requests.flatMap((r) => r.records)).toEqual(calls.flat());
    let offset = 0;
    for (const [index, request] of requests.entries()) {
      // Each request carries whole calls: its records are exactly those of its logical offsets.
      expect(request.firstOffset).toBe(BigInt(offset));
      const carried = calls.slice(offset, Number(request.lastOffset) + 1);
      expect(request.records).toEqual(carried.flat());
      offset = Number(request.lastOffset) + 1;
      const fields = request.records.reduce((sum, r) => sum + lengthDelimitedSize(String(r).length), 0);
      expect(batchRequestSize(fields)).toBeLessThanOrEqual(maxMessageBytes);
      // Cut as late as possible: the next call would not have fitted.
      const next = calls[offset];
      if (next !== undefined && index < requests.length - 1) {
        const nextFields = next.reduce((sum, r) => sum + lengthDelimitedSize(r.length), 0);
        expect(batchRequestSize(fields + nextFields)).toBeGreaterThan(maxMessageBytes);
      }
    }
    expect(offset).toBe(calls.length);
  });

  it("acknowledges each call of a coalesced request under its own offset", async () => {
    const acks: bigint[] = [];
    const stream = engine({}, { events: { onAck: (offset) => acks.push(offset) } });
    const offsets = [
      stream.ingestRecords([rec(0), rec(1)]),
      stream.ingestRecord(rec(2)),
      stream.ingestRecords([rec(3), rec(4), rec(5)]),
    ];
    expect(await Promise.all(offsets)).toEqual([0n, 1n, 2n]);
    expect(drain(stream)).toHaveLength(1);
    const waits = [stream.waitForOffset(0n), stream.waitForOffset(1n), stream.waitForOffset(2n)];
    expect(stream.getUnackedBatches()).toEqual([[rec(0), rec(1)], [rec(2)], [rec(3), rec(4), rec(5)]]);
    expect(stream.acknowledge(0)).toBeUndefined();
    await Promise.all(waits);
    expect(acks).toEqual([2n]);
    expect(stream.stats()).toMatchObject({ recordsAcked: 6, recordsInFlight: 0, bytesInFlight: 0 });
    expect(stream.getUnackedBatches()).toEqual([]);
  });

  it("cuts coalesced requests so their encoded size stays within maxMessageBytes", async () => {
    const maxMessageBytes = 200;
    const stream = engine({ maxMessageBytes });
    const records = Array.from({ length: 100 }, (_, i) => rec(i));
    for (const record of records) void stream.ingestRecord(record);
    const requests = drain(stream);
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.flatMap((r) => r.records)).toEqual(records);
    for (const [index, request] of requests.entries()) {
      const fields = request.records.reduce((sum, r) => sum + lengthDelimitedSize(String(r).length), 0);
      expect(batchRequestSize(fields)).toBeLessThanOrEqual(maxMessageBytes);
      // Cut as late as possible: one more record would not have fitted.
      const next = requests[index + 1]?.records[0];
      if (next !== undefined) {
        expect(batchRequestSize(fields + lengthDelimitedSize(String(next).length))).toBeGreaterThan(
          maxMessageBytes,
        );
      }
    }
  });

  it("computes the largest batch field that keeps a request within maxMessageBytes", () => {
    for (const max of [64, 200, 16_384, 10 * 1024 * 1024 - 1024]) {
      const field = maxBatchFieldBytes(max);
      expect(batchRequestSize(field)).toBeLessThanOrEqual(max);
      expect(batchRequestSize(field + 1)).toBeGreaterThan(max);
    }
  });

  it("maps cumulative acks back to logical offsets and calls onAck once per ack", async () => {
    const acks: bigint[] = [];
    const stream = engine({}, { events: { onAck: (offset) => acks.push(offset) } });
    void stream.ingestRecord(rec(0));
    void stream.ingestRecord(rec(1));
    drain(stream); // wire 0 carries logical 0..1
    void stream.ingestRecords([rec(2), rec(3)]);
    drain(stream); // wire 1 = logical 2 (batch)
    void stream.ingestRecord(rec(4));
    drain(stream); // wire 2 = logical 3
    expect(stream.acknowledge(0n)).toBeUndefined();
    expect(acks).toEqual([1n]);
    expect(stream.acknowledge(0n)).toBeUndefined(); // a repeated ack is no progress, no callback
    expect(stream.acknowledge(2n)).toBeUndefined();
    expect(acks).toEqual([1n, 3n]);
    expect(stream.stats()).toMatchObject({
      recordsAccepted: 5,
      recordsAcked: 5,
      recordsInFlight: 0,
      bytesInFlight: 0,
    });
    expect(stream.hasSentUnacked).toBe(false);
  });

  it("refuses acks that go back or pass what was sent with a retryable protocol_error", () => {
    const stream = engine();
    void stream.ingestRecords([rec(0), rec(1)]);
    drain(stream);
    void stream.ingestRecords([rec(2), rec(3)]);
    drain(stream);
    expect(stream.acknowledge(2n)).toMatchObject({ code: "protocol_error", retryable: true });
    expect(stream.acknowledge(1n)).toBeUndefined();
    expect(stream.acknowledge(0n)).toMatchObject({ code: "protocol_error", retryable: true });
    expect(stream.stats().recordsAcked).toBe(4);
  });

  it("re-sends coalesced requests of singles and batches first and in order on a new connection", () => {
    const stream = engine();
    for (let i = 10; i < 30; i++) void stream.ingestRecord(rec(i));
    drain(stream); // wire 0 = logical 0..19
    stream.acknowledge(0); // progress, with a request of 20 records: the next connection may send as much
    void stream.ingestRecord(rec(0));
    void stream.ingestRecords([rec(1), rec(2)]);
    drain(stream); // wire 1 = logical 20..21
    void stream.ingestRecords([rec(3), rec(4)]);
    void stream.ingestRecord(rec(5));
    drain(stream); // wire 2 = logical 22..23
    void stream.ingestRecords([rec(6)]); // queued, never sent
    expect(stream.requeueSent()).toBe(6);
    const resent = drain(stream);
    expect(resent.map((r) => [r.wireOffset, r.records, r.firstOffset, r.lastOffset])).toEqual([
      [0, [rec(0), rec(1), rec(2), rec(3), rec(4), rec(5), rec(6)], 20n, 24n],
    ]);
    expect(stream.getUnackedBatches()).toEqual([
      [rec(0)],
      [rec(1), rec(2)],
      [rec(3), rec(4)],
      [rec(5)],
      [rec(6)],
    ]);
    expect(stream.acknowledge(0)).toBeUndefined();
    expect(stream.stats()).toMatchObject({ recordsAcked: 27, recordsResent: 6, recordsInFlight: 0 });
  });

  it("re-sends sent-unacked requests first and in order on a new connection", () => {
    const stream = engine();
    for (let i = 0; i < 3; i++) void stream.ingestRecord(rec(i));
    drain(stream); // wire 0 = logical 0..2
    for (let i = 3; i < 5; i++) void stream.ingestRecord(rec(i));
    drain(stream); // wire 1 = logical 3..4
    stream.acknowledge(0);
    void stream.ingestRecord(rec(5)); // queued, never sent
    expect(stream.requeueSent()).toBe(2);
    const resent = drain(stream);
    expect(resent.map((r) => [r.wireOffset, r.records, r.firstOffset, r.lastOffset])).toEqual([
      [0, [rec(3), rec(4), rec(5)], 3n, 5n],
    ]);
    // Wire offsets restarted: an ack of 0 on the new connection acknowledges logical 3..5.
    expect(stream.acknowledge(0)).toBeUndefined();
    expect(stream.stats()).toMatchObject({ recordsAcked: 6, recordsResent: 2 });
  });

  it("drops its copy of what a holding connection took, reads it back for snapshots, and takes it back when the connection ends", () => {
    // A connection that keeps every request's records until acknowledged (as the native backend does).
    const held = new Map<number, WireRecord[]>();
    const holder: HeldRecords = {
      readBack: (first, last) =>
        Array.from({ length: last - first + 1 }, (_, i) => {
          const records = held.get(first + i);
          if (records === undefined) throw new Error(`request ${first + i} is not held`);
          return records;
        }),
      releaseAll: () => held.clear(),
    };
    const stream = engine();
    const send = () => {
      for (const request of drain(stream)) {
        held.set(request.wireOffset, [...request.records]);
        stream.holdSent(request, holder);
      }
    };
    void stream.ingestRecord(rec(0));
    void stream.ingestRecords([rec(1), rec(2)]);
    void stream.ingestRecords([rec(3)]);
    send(); // wire 0 = logical 0..2 (a single, a batch of two, a batch of one)
    void stream.ingestRecord(rec(4));
    send(); // wire 1 = logical 3
    void stream.ingestRecord(rec(5)); // queued, never sent: the engine's own copy
    expect(stream.getUnackedBatches()).toEqual([[rec(0)], [rec(1), rec(2)], [rec(3)], [rec(4)], [rec(5)]]);
    // The ack of wire 0: the connection lets go of request 0 itself.
    expect(stream.acknowledge(0)).toBeUndefined();
    held.delete(0);
    expect(stream.stats()).toMatchObject({ recordsAcked: 4 });
    expect(stream.getUnackedRecords()).toEqual([rec(4), rec(5)]);
    // The connection ends: its records come back, and it holds nothing any more.
    stream.restoreHeld();
    expect(held.size).toBe(0);
    expect(stream.requeueSent()).toBe(1);
    expect(drain(stream).map((r) => r.records)).toEqual([[rec(4), rec(5)]]);
    expect(stream.getUnackedBatches()).toEqual([[rec(4)], [rec(5)]]);
  });

  it("keeps unacked records and batches in offset order, with their types", () => {
    const stream = new StreamEngine({ options: resolveStreamOptions({}, { hasDescriptor: true }) });
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2]);
    const c = new Uint8Array([3]);
    void stream.ingestRecord(a);
    drain(stream);
    void stream.ingestRecords([b, c]);
    expect(stream.getUnackedRecords()).toEqual([a, b, c]);
    expect(stream.getUnackedBatches()).toEqual([[a], [b, c]]);
    drain(stream);
    stream.acknowledge(0);
    expect(stream.getUnackedBatches()).toEqual([[b, c]]);
    expect(stream.getUnackedRecords()[0]).toBeInstanceOf(Uint8Array);
  });

  it("returns the unacked records of a batch too large to spread as arguments", async () => {
    const stream = engine();
    const batch = new Array<string>(300_000).fill("{}");
    expect(await stream.ingestRecords(batch)).toBe(0n);
    const records = stream.getUnackedRecords();
    expect(records).toHaveLength(300_000);
    expect(records[299_999]).toBe("{}");
  });

  it("copies proto records' bytes: a buffer changed, resized or reused after the call changes nothing", async () => {
    const stream = new StreamEngine({ options: resolveStreamOptions({}, { hasDescriptor: true }) });
    // A length-tracking view of a resizable buffer (Node 20): resizing it would change the record's length.
    const Resizable = ArrayBuffer as unknown as new (
      length: number,
      options: { maxByteLength: number },
    ) => ArrayBuffer & { resize(length: number): void };
    const buffer = new Resizable(2, { maxByteLength: 16 });
    const record = new Uint8Array(buffer);
    record.set([1, 2]);
    await stream.ingestRecord(record);
    const pooled = new Uint8Array([3, 4]);
    await stream.ingestRecords([pooled]);
    buffer.resize(8);
    record.fill(9);
    pooled.fill(0);
    const [request] = drain(stream);
    expect(request?.records).toEqual([new Uint8Array([1, 2]), new Uint8Array([3, 4])]);
    expect(request?.recordBytes).toEqual([2, 2]);
    expect(stream.getUnackedRecords()).toEqual([new Uint8Array([1, 2]), new Uint8Array([3, 4])]);
  });

  it("copies a batch so that changing the caller's array later changes nothing", () => {
    const stream = engine();
    const batch = [rec(0), rec(1)];
    void stream.ingestRecords(batch);
    batch.push(rec(2));
    expect(stream.getUnackedBatches()).toEqual([[rec(0), rec(1)]]);
  });

  it("seeds a new stream with the old one's unacked batches, offsets from 0, coalescing again", async () => {
    const stream = engine({}, { seed: [[rec(0)], [rec(1), rec(2)], [], [rec(3)]] });
    expect(stream.nextOffset).toBe(3n);
    expect(await stream.ingestRecord(rec(4))).toBe(3n);
    expect(stream.getUnackedBatches()).toEqual([[rec(0)], [rec(1), rec(2)], [rec(3)], [rec(4)]]);
    expect(drain(stream).map((r) => [r.records, r.firstOffset, r.lastOffset])).toEqual([
      [[rec(0), rec(1), rec(2), rec(3), rec(4)], 0n, 3n],
    ]);
    expect(stream.stats()).toMatchObject({ recordsAccepted: 5, recordsInFlight: 5 });
  });

  it("counts accepted, acked, in-flight bytes and recoveries", () => {
    const stream = engine();
    void stream.ingestRecord("{}");
    drain(stream);
    void stream.ingestRecords(['{"a":1}', "{}"]);
    expect(stream.stats()).toEqual({
      recordsAccepted: 3,
      bytesAccepted: 11,
      recordsAcked: 0,
      recordsInFlight: 3,
      bytesInFlight: 11,
      recordsResent: 0,
      recoveries: 0,
      connections: 0,
      requestSizeLimit: maxBatchFieldBytes(stream.options.maxMessageBytes),
    });
    stream.acknowledge(0);
    stream.noteRecovery();
    expect(stream.stats()).toMatchObject({ recordsAcked: 1, bytesInFlight: 9, recoveries: 1 });
  });

  it("wakes the connection once per burst, after the burst was queued", async () => {
    const stream = engine();
    const sent: WireRequest[][] = [];
    stream.setWakeHandler(() => sent.push(drain(stream)));
    for (let i = 0; i < 1000; i++) await stream.ingestRecord(rec(i));
    expect(sent).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(1);
    expect(sent[0]?.[0]?.records).toHaveLength(1000);
  });

  it("does not parse JSON the SDK serialised from objects, and keeps every other check", async () => {
    const stream = engine({ maxInflightBytes: 64 });
    const parse = vi.spyOn(JSON, "parse");
    try {
      const serialised = { serialisedFromObjects: true };
      await expect(stream.ingestRecord(rec(0), serialised)).resolves.toBe(0n);
      await expect(stream.ingestRecords([rec(1), rec(2)], serialised)).resolves.toBe(1n);
      expect(parse).not.toHaveBeenCalled();
      await expect(stream.ingestRecord(`{"a":"${"x".repeat(64)}"}`, serialised)).rejects.toMatchObject({
        message: expect.stringMatching(/maxInflightBytes 64/),
      });
      await expect(stream.ingestRecords([rec(3), new Uint8Array(1)], serialised)).rejects.toMatchObject({
        message: expect.stringMatching(/record 1 of the batch must be a JSON string/),
      });
      // Text without the flag (a caller's own string) is still parsed.
      await expect(stream.ingestRecord("[1]")).rejects.toMatchObject({
        message: expect.stringMatching(/must be a JSON object; got an array/),
      });
      await expect(stream.ingestRecords([rec(4), "{"])).rejects.toMatchObject({
        message: expect.stringMatching(/record 1 of the batch is not valid JSON/),
      });
      expect(parse).toHaveBeenCalledTimes(3);
    } finally {
      parse.mockRestore();
    }
  });
});
