import type { Histogram } from "hdr-histogram-js";
import { build } from "hdr-histogram-js";

/** The percentiles W4 reports, in milliseconds. */
export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** The longest latency a histogram tracks, in microseconds: a minute, far past any case's wait. */
const HIGHEST_MICROS = 60_000_000;

/**
 * A histogram of latencies in microseconds, 3 significant digits (a 150 ms latency is resolved to 0.1 ms).
 * The pure-JS build (`useWebAssembly` off): recording costs well under a microsecond, and a WebAssembly
 * instance per histogram would only add start-up work to each client process.
 */
export function newLatencyHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROS,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Records one latency given in milliseconds (a float from `performance.now()` differences). */
export function recordMs(histogram: Histogram, ms: number): void {
  // Below a microsecond rounds up to 1: the histogram's lowest value; above the range clamps to it.
  histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, Math.round(ms * 1000))));
}

/** p50, p90, p99, p99.9 and max of a histogram of microseconds, in milliseconds; `undefined` when empty. */
export function percentilesOf(histogram: Histogram): LatencyPercentiles | undefined {
  if (histogram.totalCount === 0) return undefined;
  const ms = (micros: number) => micros / 1000;
  return {
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
  };
}
