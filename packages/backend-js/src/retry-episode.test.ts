import { MAX_TIMER_MS } from "@zerobus/core/internal";
import { describe, expect, it } from "vitest";
import { backoffDelay } from "./retry-episode.js";

describe("backoffDelay", () => {
  it("jitters recoveryBackoffMs by ±20 %", () => {
    expect(backoffDelay(1000, () => 0)).toBe(800);
    expect(backoffDelay(1000, () => 0.5)).toBe(1000);
    expect(backoffDelay(1000, () => 0.999_999)).toBe(1200);
  });

  it("never asks a timer for more than it can wait (a longer delay would fire at once)", () => {
    expect(backoffDelay(MAX_TIMER_MS, () => 0.999_999)).toBe(MAX_TIMER_MS);
    expect(backoffDelay(MAX_TIMER_MS, () => 0)).toBe(Math.round(MAX_TIMER_MS * 0.8));
  });
});
