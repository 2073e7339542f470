// Acceptance stamps (issue 18): what an observer that wants ack latency gets, and how often the clock is read.
import { afterEach, describe, expect, it, vi } from "vitest";
import { resolveStreamOptions } from "../stream-options.js";
import { silentObserver } from "./observe/silent-observer.js";
import type { StreamObserver } from "./observe/stream-observer.js";
import { StreamEngine } from "./stream-engine.js";

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** An engine whose observer wants ack latency, with the oldest stamp of each ack it heard. */
function timedEngine() {
  const oldestStamps: (number | undefined)[] = [];
  const observer: StreamObserver = {
    ...silentObserver,
    wantsAckLatency: true,
    acknowledged: (_upTo, _records, _bytes, oldestAcceptedAt) => oldestStamps.push(oldestAcceptedAt),
  };
  const engine = new StreamEngine({ options: resolveStreamOptions({}, { hasDescriptor: false }), observer });
  return { engine, oldestStamps };
}

/** Sends everything queued, then acknowledges each request on its own. */
function sendAndAckEach(engine: StreamEngine): void {
  const ends: number[] = [];
  for (let request = engine.nextRequest(); request; request = engine.nextRequest())
    ends.push(request.wireOffset);
  for (const end of ends) expect(engine.acknowledge(end)).toBeUndefined();
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("acceptance stamps", () => {
  it("reads the clock once per 32 calls of a burst, and again in the next burst", async () => {
    const { engine } = timedEngine();
    engine.setWakeHandler(() => {});
    const now = vi.spyOn(performance, "now");
    for (let i = 0; i < 100; i++) void engine.ingestRecord("{}");
    expect(now).toHaveBeenCalledTimes(4);
    await turn();
    void engine.ingestRecord("{}");
    expect(now).toHaveBeenCalledTimes(5);
  });

  it("reads the clock on every call when no wake ends the burst (no connection to send on)", () => {
    const { engine } = timedEngine();
    const now = vi.spyOn(performance, "now");
    for (let i = 0; i < 10; i++) void engine.ingestRecord("{}");
    expect(now).toHaveBeenCalledTimes(10);
  });

  it("gives each ack the stamp of the oldest call it covers, taken in that call's burst", async () => {
    const { engine, oldestStamps } = timedEngine();
    engine.setWakeHandler(() => {});
    const bounds = [performance.now()];
    void engine.ingestRecord("{}");
    void engine.ingestRecord("{}");
    bounds.push(performance.now());
    sendAndAckEach(engine);
    await turn();
    await new Promise((resolve) => setTimeout(resolve, 5));
    bounds.push(performance.now());
    void engine.ingestRecords(["{}", "{}"]);
    bounds.push(performance.now());
    sendAndAckEach(engine);
    expect(oldestStamps).toHaveLength(2);
    const [first, second] = oldestStamps as number[];
    expect(first).toBeGreaterThanOrEqual(bounds[0] as number);
    expect(first).toBeLessThanOrEqual(bounds[1] as number);
    expect(second).toBeGreaterThanOrEqual(bounds[2] as number);
    expect(second).toBeLessThanOrEqual(bounds[3] as number);
  });
});
