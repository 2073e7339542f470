import { describe, expect, it } from "vitest";
import { MAX_TIMER_MS } from "../../stream-options.js";
import { attemptsAllowed, backoffDelay } from "./retry-episode.js";

const options = { recoveryBackoffMs: 1000, recoveryBackoffMaxMs: 30_000 };

describe("backoffDelay", () => {
  it("jitters the delay by ±20 %", () => {
    expect(backoffDelay(0, options, () => 0)).toBe(800);
    expect(backoffDelay(0, options, () => 0.5)).toBe(1000);
    expect(backoffDelay(0, options, () => 0.999_999)).toBe(1200);
  });

  it("doubles per earlier delay of the episode, up to recoveryBackoffMaxMs", () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 40].map((waits) => backoffDelay(waits, options, () => 0.5));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("never asks a timer for more than it can wait (a longer delay would fire at once)", () => {
    const huge = { recoveryBackoffMs: MAX_TIMER_MS, recoveryBackoffMaxMs: MAX_TIMER_MS };
    expect(backoffDelay(3, huge, () => 0.999_999)).toBe(MAX_TIMER_MS);
    expect(backoffDelay(0, huge, () => 0)).toBe(Math.round(MAX_TIMER_MS * 0.8));
  });
});

describe("attemptsAllowed", () => {
  it("is 1 + recoveryRetries, or one attempt when recovery is off", () => {
    expect(attemptsAllowed({ recovery: true, recoveryRetries: 4 })).toBe(5);
    expect(attemptsAllowed({ recovery: true, recoveryRetries: 0 })).toBe(1);
    expect(attemptsAllowed({ recovery: false, recoveryRetries: 4 })).toBe(1);
  });
});
