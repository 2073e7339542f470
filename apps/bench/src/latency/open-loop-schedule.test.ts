import { describe, expect, it } from "vitest";
import { dueCount, intendedAt, intendedTimes, wakeDelayMs } from "./open-loop-schedule.js";

const schedule = { start: 1_000, rate: 10_000, count: 5 };

describe("open-loop schedule", () => {
  it("lays records out at start + i / rate, whatever came before", () => {
    expect(intendedAt(schedule, 0)).toBe(1_000);
    expect(intendedAt(schedule, 3)).toBeCloseTo(1_000.3);
    expect([...intendedTimes(schedule)]).toEqual([0, 1, 2, 3, 4].map((i) => intendedAt(schedule, i)));
  });

  it("counts the records due by now, record 0 at start, never past the run", () => {
    expect(dueCount(schedule, 999.9)).toBe(0);
    expect(dueCount(schedule, 1_000)).toBe(1);
    expect(dueCount(schedule, 1_000.25)).toBe(3);
    expect(dueCount(schedule, 5_000)).toBe(5);
  });

  it("sleeps until the next record is due, never below Node's 1 ms timer", () => {
    const slow = { start: 0, rate: 100, count: 10 };
    expect(wakeDelayMs(slow, 1, 2.5)).toBe(8);
    expect(wakeDelayMs(slow, 1, 10)).toBe(1);
    expect(wakeDelayMs(slow, 1, 30)).toBe(1);
  });
});
