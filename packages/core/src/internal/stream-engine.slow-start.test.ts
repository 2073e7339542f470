import { describe, expect, it } from "vitest";
import type { StreamOptions } from "../stream-options.js";
import { resolveStreamOptions } from "../stream-options.js";
import type { WireRequest } from "../wire-request.js";
import { maxBatchFieldBytes } from "./landing-queue.js";
import { StreamEngine } from "./stream-engine.js";

function engine(options: StreamOptions = {}, debug: string[] = []) {
  const logger = { debug: (message: string) => debug.push(message), info() {}, warn() {}, error() {} };
  return new StreamEngine({ options: resolveStreamOptions(options, { hasDescriptor: false }), logger });
}

function drain(stream: StreamEngine): WireRequest[] {
  const requests: WireRequest[] = [];
  for (let request = stream.nextRequest(); request; request = stream.nextRequest()) requests.push(request);
  return requests;
}

/** A 100-byte JSON record numbered `i`. */
const rec = (i: number) =>
  JSON.stringify({ i, pad: "x".repeat(100 - JSON.stringify({ i, pad: "" }).length) });

/** A connection that took everything queued and failed before any ack. */
function failWithoutProgress(stream: StreamEngine): number {
  const sent = drain(stream);
  expect(sent.length).toBeGreaterThan(0);
  return stream.requeueSent();
}

describe("StreamEngine slow start (PROTOCOL.md A.15)", () => {
  it("sends everything queued as one coalesced request on a first connection", () => {
    const stream = engine();
    for (let i = 0; i < 1000; i++) void stream.ingestRecord(rec(i));
    expect(drain(stream).map((r) => r.records.length)).toEqual([1000]);
  });

  it("after a connection without progress: one ingest unit, one request in flight, until an ack", () => {
    const debug: string[] = [];
    const stream = engine({}, debug);
    for (let i = 0; i < 1000; i++) void stream.ingestRecord(rec(i));
    expect(failWithoutProgress(stream)).toBe(1000);
    expect(stream.stats().requestSizeLimit).toBe(0);
    expect(debug.some((line) => line.includes("one request of one ingest unit"))).toBe(true);
    const first = drain(stream);
    expect(first.map((r) => [r.wireOffset, r.records.length, r.firstOffset])).toEqual([[0, 1, 0n]]);
    expect(stream.nextRequest()).toBeUndefined(); // the window of one is full
    expect(stream.acknowledge(0)).toBeUndefined();
    // Doubled: two requests in flight, each up to twice the acknowledged request's size.
    const second = drain(stream);
    expect(second.map((r) => r.records.length)).toEqual([2, 2]);
    expect(stream.stats().requestSizeLimit).toBeGreaterThan(0);
    expect(debug.some((line) => line.includes("now up to 2 requests in flight"))).toBe(true);
  });

  it("doubles window and size with every acknowledged request until the coalescing limit, then stops", () => {
    const debug: string[] = [];
    const stream = engine({}, debug);
    for (let i = 0; i < 20_000; i++) void stream.ingestRecord(rec(i));
    failWithoutProgress(stream);
    const sizes: number[] = [];
    let windows = 0;
    while (stream.hasQueued) {
      const round = drain(stream);
      windows = Math.max(windows, round.length);
      for (const request of round) sizes.push(request.records.length);
      stream.acknowledge(round.at(-1)?.wireOffset as number);
    }
    // Sizes never shrink and grow by at most twice per acked request; everything was sent, in order.
    expect(sizes.reduce((sum, n) => sum + n, 0)).toBe(20_000);
    expect(sizes[0]).toBe(1);
    for (let i = 1; i < sizes.length - 1; i++)
      expect(sizes[i]).toBeGreaterThanOrEqual(sizes[i - 1] as number);
    expect(windows).toBeGreaterThan(2);
    expect(stream.stats().requestSizeLimit).toBe(maxBatchFieldBytes(stream.options.maxMessageBytes));
    expect(debug.at(-1)).toContain("slow start: over");
    // The limits are back: the next burst leaves as one request.
    for (let i = 0; i < 500; i++) void stream.ingestRecord(rec(i));
    expect(drain(stream).map((r) => r.records.length)).toEqual([500]);
  });

  it("never splits a batch: one ingest unit may be a whole batch", () => {
    const stream = engine();
    void stream.ingestRecords(Array.from({ length: 50 }, (_, i) => rec(i)));
    void stream.ingestRecord(rec(50));
    failWithoutProgress(stream);
    const [first, ...rest] = drain(stream);
    expect(first?.records.length).toBe(50);
    expect(first?.batch).toBe(true);
    expect(rest).toEqual([]);
  });

  it("after a connection that made progress, the next starts at the size and window it got acknowledged", () => {
    const debug: string[] = [];
    const stream = engine({}, debug);
    for (let i = 0; i < 100; i++) void stream.ingestRecord(rec(i));
    failWithoutProgress(stream);
    drain(stream);
    stream.acknowledge(0); // progress: limit 2 units, window 2
    expect(drain(stream).map((r) => r.records.length)).toEqual([2, 2]);
    stream.acknowledge(1); // a second request acknowledged (2 units): limit 4 units, window 4
    expect(drain(stream).map((r) => r.records.length)).toEqual([4, 4, 4]);
    stream.requeueSent(); // broke after progress: no restart, but no more than what got through
    expect(debug.at(-1)).toContain("after 2 acknowledged");
    // Up to 2 in flight of up to the largest acknowledged request (2 units); records queued meanwhile too.
    for (let i = 100; i < 200; i++) void stream.ingestRecord(rec(i));
    expect(drain(stream).map((r) => r.records.length)).toEqual([2, 2]);
    stream.acknowledge(1); // two more acknowledged: doubled twice
    expect(
      drain(stream)
        .map((r) => r.records.length)
        .slice(0, 2),
    ).toEqual([8, 8]);
  });

  it("a connection that broke after progress at full size leaves the limits alone", () => {
    const stream = engine();
    for (let i = 0; i < 10; i++) void stream.ingestRecord(rec(i));
    drain(stream);
    stream.acknowledge(0);
    for (let i = 10; i < 20; i++) void stream.ingestRecord(rec(i));
    drain(stream);
    stream.requeueSent();
    // 10 records acknowledged in one request, so the next starts at that size, then grows back.
    for (let i = 20; i < 40; i++) void stream.ingestRecord(rec(i));
    expect(drain(stream).map((r) => r.records.length)).toEqual([10]);
  });

  it("does not restart after a connection that ended with nothing in flight", () => {
    const stream = engine();
    expect(stream.requeueSent()).toBe(0);
    for (let i = 0; i < 10; i++) void stream.ingestRecord(rec(i));
    expect(drain(stream).map((r) => r.records.length)).toEqual([10]);
  });

  it("wakes the connection when an ack opens the window", async () => {
    const stream = engine();
    for (let i = 0; i < 10; i++) void stream.ingestRecord(rec(i));
    failWithoutProgress(stream);
    let wakes = 0;
    stream.setWakeHandler(() => wakes++);
    await new Promise((resolve) => setImmediate(resolve));
    expect(wakes).toBe(1);
    drain(stream);
    stream.acknowledge(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(wakes).toBe(2);
  });
});
