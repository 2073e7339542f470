import { describe, expect, it } from "vitest";
import { newLatencyHistogram, percentilesOf, recordMs } from "./latency-histogram.js";

describe("latency percentiles", () => {
  it("reads p50, p90, p99, p99.9 and max in ms from microseconds, to 3 significant digits", () => {
    const histogram = newLatencyHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(histogram, i / 10);
    const p = percentilesOf(histogram);
    expect(p?.p50).toBeCloseTo(50, 1);
    expect(p?.p90).toBeCloseTo(90, 1);
    expect(p?.p99).toBeCloseTo(99, 1);
    expect(p?.p999).toBeCloseTo(99.9, 1);
    expect(p?.max).toBeCloseTo(100, 1);
  });

  it("has none for an empty run, and keeps sub-microsecond and huge values in range", () => {
    const histogram = newLatencyHistogram();
    expect(percentilesOf(histogram)).toBeUndefined();
    recordMs(histogram, 0);
    recordMs(histogram, 1e9);
    expect(histogram.totalCount).toBe(2);
    expect(percentilesOf(histogram)?.p50).toBe(0.001);
  });
});
