import { describe, expect, it } from "vitest";
import type { StreamOptions } from "../stream-options.js";
import { resolveStreamOptions } from "../stream-options.js";
import type { StreamEvents } from "../wire-stream.js";
import { ZerobusError } from "../zerobus-error.js";
import { StreamEngine } from "./stream-engine.js";

function engine(options: StreamOptions = {}, events?: StreamEvents) {
  return new StreamEngine({ options: resolveStreamOptions(options, { hasDescriptor: false }), events });
}

/** Sends everything queued and acknowledges it all. */
function sendAndAckAll(stream: StreamEngine): void {
  let last: number | undefined;
  for (let request = stream.nextRequest(); request; request = stream.nextRequest()) last = request.wireOffset;
  if (last !== undefined) expect(stream.acknowledge(last)).toBeUndefined();
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Tracks whether a promise settled, without awaiting it. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe("StreamEngine backpressure", () => {
  it("makes the call past maxInflightRecords wait, first in first out, and lets it in on acks", async () => {
    const stream = engine({ maxInflightRecords: 10 });
    for (let i = 0; i < 10; i++) await stream.ingestRecord("{}");
    const eleventh = track(stream.ingestRecord("{}"));
    const twelfth = track(stream.ingestRecords(["{}", "{}"]));
    // While they wait the event loop turns.
    for (let i = 0; i < 100; i++) await turn();
    expect(eleventh.settled).toBe(false);
    expect(twelfth.settled).toBe(false);
    const first = stream.nextRequest();
    stream.acknowledge(first?.wireOffset ?? -1);
    await turn();
    expect(eleventh).toMatchObject({ settled: true, value: 10n });
    expect(twelfth).toMatchObject({ settled: true, value: 11n });
  });

  it("keeps later calls behind a waiting one even when they would fit", async () => {
    const stream = engine({ maxInflightRecords: 3 });
    await stream.ingestRecords(["{}", "{}"]);
    const big = track(stream.ingestRecords(["{}", "{}"]));
    const small = track(stream.ingestRecord("{}"));
    await turn();
    expect(big.settled).toBe(false);
    expect(small.settled).toBe(false);
    sendAndAckAll(stream);
    await turn();
    expect(big.value).toBe(1n);
    expect(small.value).toBe(2n);
  });

  it("bounds bytes in flight with maxInflightBytes", async () => {
    const stream = engine({ maxInflightBytes: 10 });
    await stream.ingestRecord('{"a":123}'); // 9 bytes
    const waiting = track(stream.ingestRecord("{}"));
    await turn();
    expect(waiting.settled).toBe(false);
    sendAndAckAll(stream);
    await turn();
    expect(waiting.value).toBe(1n);
  });

  it("rejects a waiting call with the stream's error when the stream fails, never giving it an offset", async () => {
    const stream = engine({ maxInflightRecords: 1 });
    await stream.ingestRecord("{}");
    const waiting = stream.ingestRecord("{}");
    const failure = new ZerobusError("unavailable", "gone");
    stream.fail(failure);
    await expect(waiting).rejects.toBe(failure);
    expect(stream.getUnackedRecords()).toEqual(["{}"]);
  });

  it("cancels every waiting call that shares an aborted signal, none admitted by another's abort", async () => {
    const stream = engine({ maxInflightRecords: 3 });
    await stream.ingestRecords(["{}", "{}"]);
    const controller = new AbortController();
    const big = stream.ingestRecords(["{}", "{}"], { signal: controller.signal });
    const small = stream.ingestRecord("{}", { signal: controller.signal });
    const unrelated = stream.ingestRecord("{}");
    controller.abort();
    await expect(big).rejects.toMatchObject({ code: "cancelled" });
    await expect(small).rejects.toMatchObject({ code: "cancelled" });
    expect(await unrelated).toBe(1n);
    expect(stream.nextOffset).toBe(2n);
  });

  it("cancels a waiting call on abort without accepting it, and admits the next one", async () => {
    const stream = engine({ maxInflightRecords: 2 });
    await stream.ingestRecord("{}");
    const controller = new AbortController();
    const cancelled = stream.ingestRecords(["{}", "{}"], { signal: controller.signal });
    const next = stream.ingestRecord("{}");
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ code: "cancelled", retryable: false });
    expect(await next).toBe(1n);
    expect(stream.stats().recordsAccepted).toBe(2);
  });
});

describe("StreamEngine refusals and cancellation", () => {
  it("rejects an already-aborted call with cancelled and accepts nothing", async () => {
    const stream = engine();
    const signal = AbortSignal.abort();
    await expect(stream.ingestRecord("{}", { signal })).rejects.toMatchObject({ code: "cancelled" });
    await expect(stream.ingestRecords(["{}"], { signal })).rejects.toMatchObject({ code: "cancelled" });
    await expect(stream.flush({ signal })).rejects.toMatchObject({ code: "cancelled" });
    expect(stream.stats().recordsAccepted).toBe(0);
  });

  it("refuses a signal that is not an AbortSignal with invalid_argument, leaving no timer behind", async () => {
    const stream = engine({ flushTimeoutMs: 20 });
    const signal = { aborted: false } as unknown as AbortSignal;
    await expect(stream.ingestRecord("{}", { signal })).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(stream.ingestRecords(["{}"], { signal })).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await stream.ingestRecord("{}");
    await expect(stream.flush({ signal })).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("AbortSignal"),
    });
    await expect(stream.waitForOffset(0n, { signal })).rejects.toMatchObject({ code: "invalid_argument" });
    // A timer left armed would fire here and throw outside any promise.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(stream.stats().recordsAccepted).toBe(1);
  });

  it("refuses bad records for that call only; the stream stays healthy", async () => {
    const stream = engine({ maxMessageBytes: 100 });
    await expect(stream.ingestRecord("nope")).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(stream.ingestRecord(new Uint8Array(1))).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(stream.ingestRecord(`{"a":"${"x".repeat(200)}"}`)).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await expect(stream.ingestRecords([])).rejects.toMatchObject({ code: "invalid_argument" });
    expect(await stream.ingestRecord("{}")).toBe(0n);
    expect(stream.state).toBe("open");
  });

  it("refuses oversize and mistyped records without validation too; what follows is sent intact", async () => {
    const stream = engine({ maxMessageBytes: 100, validateRecords: false });
    await expect(stream.ingestRecord(`{"a":"${"é".repeat(60)}"}`)).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("over maxMessageBytes 100"),
    });
    await expect(stream.ingestRecord(new Uint8Array(1))).rejects.toMatchObject({ code: "invalid_argument" });
    expect(await stream.ingestRecord('{"b":1}')).toBe(0n);
    expect(await stream.ingestRecord('{"c":2}')).toBe(1n);
    const request = stream.nextRequest();
    expect([request?.records, request?.recordBytes, request?.payloadBytes]).toEqual([
      ['{"b":1}', '{"c":2}'],
      [7, 7],
      14,
    ]);
    expect(stream.stats()).toMatchObject({ recordsAccepted: 2, bytesAccepted: 14 });
  });

  it("refuses ingest after close and after failure with a non-retryable stream_closed", async () => {
    const closed = engine();
    closed.setState("closed");
    await expect(closed.ingestRecord("{}")).rejects.toMatchObject({
      code: "stream_closed",
      retryable: false,
    });
    const failed = engine();
    failed.fail(new ZerobusError("permission_denied", "no"));
    await expect(failed.ingestRecords(["{}"])).rejects.toMatchObject({
      code: "stream_closed",
      retryable: false,
      message: expect.stringContaining("no"),
    });
  });
});

describe("StreamEngine waits", () => {
  it("resolves waitForOffset and flush once acknowledged, without blocking ingestion", async () => {
    const stream = engine();
    await stream.ingestRecord("{}");
    await stream.ingestRecord("{}");
    const flushed = track(stream.flush());
    const first = track(stream.waitForOffset(0n));
    const later = track(stream.waitForOffset(5n));
    expect(await stream.ingestRecord("{}")).toBe(2n);
    const request = stream.nextRequest();
    expect(request?.lastOffset).toBe(2n);
    stream.acknowledge(0);
    await turn();
    expect(flushed.settled && first.settled).toBe(true);
    expect(later.settled).toBe(false);
    await expect(stream.waitForOffset(1n)).resolves.toBeUndefined();
  });

  it("flush on an empty or fully acknowledged stream resolves at once", async () => {
    const stream = engine();
    await stream.flush();
    await stream.ingestRecord("{}");
    sendAndAckAll(stream);
    await stream.flush();
  });

  it("times out with a retryable flush_timeout, leaving the stream open and its records retrievable", async () => {
    const stream = engine({ flushTimeoutMs: 30 });
    await stream.ingestRecord("{}");
    const started = performance.now();
    await expect(stream.flush()).rejects.toMatchObject({ code: "flush_timeout", retryable: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(stream.state).toBe("open");
    expect(stream.getUnackedRecords()).toEqual(["{}"]);
  });

  it("aborting a wait rejects that wait only", async () => {
    const stream = engine();
    await stream.ingestRecord("{}");
    const controller = new AbortController();
    const aborted = stream.waitForOffset(0n, { signal: controller.signal });
    const other = stream.flush();
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: "cancelled", offset: 0n });
    sendAndAckAll(stream);
    await other;
  });

  it("rejects pending waits with the failure; acknowledged offsets still resolve afterwards", async () => {
    const stream = engine();
    await stream.ingestRecord("{}");
    sendAndAckAll(stream);
    await stream.ingestRecord("{}");
    const pending = stream.flush();
    const failure = new ZerobusError("unavailable", "gone");
    stream.fail(failure);
    await expect(pending).rejects.toBe(failure);
    await expect(stream.waitForOffset(0n)).resolves.toBeUndefined();
    await expect(stream.waitForOffset(1n)).rejects.toBe(failure);
  });

  it("rejects pending waits with stream_closed when the stream closes", async () => {
    const stream = engine();
    await stream.ingestRecord("{}");
    const pending = stream.waitForOffset(0n);
    stream.setState("closed");
    await expect(pending).rejects.toMatchObject({ code: "stream_closed" });
  });

  it("refuses a negative offset", async () => {
    await expect(engine().waitForOffset(-1n)).rejects.toMatchObject({ code: "invalid_argument" });
  });
});

describe("StreamEngine state and events", () => {
  it("reports state changes once each and onError once, and ignores changes after the end", () => {
    const changes: [string, string | undefined][] = [];
    const errors: ZerobusError[] = [];
    const stream = engine(
      {},
      {
        onStateChange: (state, reason) => changes.push([state, reason?.code]),
        onError: (error) => errors.push(error),
      },
    );
    const reason = new ZerobusError("unavailable", "blip");
    stream.setState("recovering", reason);
    stream.setState("recovering", reason);
    stream.setState("open");
    stream.fail(new ZerobusError("permission_denied", "no"));
    stream.fail(new ZerobusError("internal", "again"));
    stream.setState("closed");
    expect(changes).toEqual([
      ["recovering", "unavailable"],
      ["open", undefined],
      ["failed", "permission_denied"],
    ]);
    expect(errors.map((e) => e.code)).toEqual(["permission_denied"]);
    expect(stream.state).toBe("failed");
  });

  it("refuses new ingest and rejects room waiters once closing begins", async () => {
    const stream = engine({ maxInflightRecords: 1 });
    await stream.ingestRecord("{}");
    const waiting = stream.ingestRecord("{}");
    stream.setState("closing");
    await expect(waiting).rejects.toMatchObject({ code: "stream_closed" });
    await expect(stream.ingestRecord("{}")).rejects.toMatchObject({ code: "stream_closed" });
  });

  it("survives a throwing callback and logs it", async () => {
    const logged: string[] = [];
    const stream = new StreamEngine({
      options: resolveStreamOptions({}, { hasDescriptor: false }),
      events: {
        onAck: () => {
          throw new Error("boom");
        },
      },
      logger: { debug() {}, info() {}, warn() {}, error: (message) => logged.push(message) },
    });
    await stream.ingestRecord("{}");
    sendAndAckAll(stream);
    expect(logged).toEqual(["the onAck callback threw; it must not throw"]);
    expect(stream.stats().recordsAcked).toBe(1);
  });
});

describe("StreamEngine wake-ups", () => {
  it("still wakes the connection while closing, so close() can flush what was accepted", async () => {
    const stream = engine();
    let woken = 0;
    stream.setWakeHandler(() => {
      woken++;
    });
    await stream.ingestRecord("{}");
    stream.setState("closing");
    await turn();
    expect(woken).toBe(1);
  });

  it("does not wake the connection of a failed stream", async () => {
    const stream = engine();
    let woken = 0;
    stream.setWakeHandler(() => {
      woken++;
    });
    await stream.ingestRecord("{}");
    stream.fail(new ZerobusError("internal", "x"));
    await turn();
    expect(woken).toBe(0);
  });
});

describe("StreamEngine yielding", () => {
  it("lets the event loop turn once per MiB accepted, with offsets still assigned at the call", async () => {
    const stream = engine();
    const record = `{"pad":"${"x".repeat(1000)}"}`;
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const calls = Math.ceil((3 * 1024 * 1024) / record.length);
    for (let i = 0; i < calls; i++) expect(await stream.ingestRecord(record)).toBe(BigInt(i));
    counting = false;
    // Three MiB accepted: the loop yielded at least twice, and no more than once per MiB (plus slack).
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(turns).toBeLessThanOrEqual(5);
  });
});

describe("StreamEngine send blocking", () => {
  const big = `{"pad":"${"x".repeat(1024 * 1024)}"}`;

  it("holds calls while the transport is blocked and over a MiB waits unsent, until it drains", async () => {
    const stream = engine();
    stream.setSendBlocked(true);
    const held = track(stream.ingestRecord(big));
    for (let i = 0; i < 10; i++) await turn();
    expect(held.settled).toBe(false);
    expect(stream.nextOffset).toBe(1n); // accepted at the call all the same
    stream.setSendBlocked(false);
    await turn();
    expect(held).toMatchObject({ settled: true, value: 0n });
  });

  it("releases held calls with their offsets when the stream stops being open", async () => {
    const stream = engine();
    stream.setSendBlocked(true);
    const held = stream.ingestRecord(big);
    stream.setState("recovering");
    expect(await held).toBe(0n);
  });

  it("rejects held calls with the stream's error when it fails, even once the transport is unblocked first", async () => {
    const stream = engine();
    stream.setSendBlocked(true);
    const held = stream.ingestRecord(big);
    const failure = new ZerobusError("internal", "the connection is gone");
    stream.fail(failure);
    await expect(held).rejects.toBe(failure);
    // The record was accepted at the call: it stays retrievable with the rest.
    expect(stream.getUnackedRecords()).toEqual([big]);
  });
});
