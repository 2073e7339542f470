import { describe, expect, it } from "vitest";
import { AckTracker } from "./ack-tracker.js";
import { percentilesOf } from "./latency-histogram.js";

/** A tracker on a clock the test moves. */
function tracker(startedAt: number[]) {
  const clock = { now: 0 };
  return { clock, tracker: new AckTracker(Float64Array.from(startedAt), () => clock.now) };
}

describe("AckTracker", () => {
  it("counts a cumulative ack once for each record it newly covers", () => {
    const { clock, tracker: t } = tracker([0, 1, 2, 3]);
    clock.now = 5;
    t.ackUpTo(1);
    clock.now = 10;
    t.ackUpTo(1);
    t.ackUpTo(3);
    expect(t.acked).toBe(4);
    expect(t.lastAckAt).toBe(10);
    expect(t.histogram.totalCount).toBe(4);
    // Latencies 5, 4, 8 and 7 ms.
    expect(percentilesOf(t.histogram)?.max).toBeCloseTo(8, 1);
  });

  it("ignores offsets past its records (the closed loop's array is longer than what it sent)", () => {
    const { tracker: t } = tracker([0, 0]);
    t.ackUpTo(7);
    expect(t.acked).toBe(2);
  });

  it("wakes the one waiter once its record is acknowledged, and rejects it when the stream fails", async () => {
    const { tracker: t } = tracker([0, 0, 0]);
    let woke = false;
    const waiting = t.waitFor(1).then(() => {
      woke = true;
    });
    t.ackOne(0);
    await Promise.resolve();
    expect(woke).toBe(false);
    t.ackOne(1);
    await waiting;
    expect(woke).toBe(true);
    const failing = t.waitFor(2);
    t.fail(new Error("gone"));
    await expect(failing).rejects.toThrow("gone");
    await expect(t.waitFor(2)).rejects.toThrow("gone");
  });
});
