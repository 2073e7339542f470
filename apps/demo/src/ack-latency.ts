import type { Histogram } from "hdr-histogram-js";
import { build } from "hdr-histogram-js";

/**
 * Ack latency per ingest call: from the moment the call's offset was accepted to the first `onAck` that
 * covers it. Acks are cumulative, so one ack settles every offset up to it; send times sit in a typed
 * array indexed by offset, which costs nothing per record.
 */
export class AckLatency {
  #acceptedAt = new Float64Array(1 << 16);
  #nextToSettle = 0;
  #highestAccepted = -1;
  readonly #histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });

  /** Notes when `offset` was accepted (`performance.now()`). */
  accepted(offset: bigint, at: number): void {
    const index = Number(offset);
    if (index >= this.#acceptedAt.length) {
      const grown = new Float64Array(Math.max(index + 1, this.#acceptedAt.length * 2));
      grown.set(this.#acceptedAt);
      this.#acceptedAt = grown;
    }
    this.#acceptedAt[index] = at;
    this.#highestAccepted = Math.max(this.#highestAccepted, index);
  }

  /** Settles every offset up to `upToOffset` at `at`. */
  acked(upToOffset: bigint, at: number): void {
    // An ack cannot overtake the acceptance it covers (acks arrive from I/O, acceptance resolves first).
    const last = Math.min(Number(upToOffset), this.#highestAccepted);
    for (let index = this.#nextToSettle; index <= last; index++) {
      this.#histogram.recordValue(Math.max(1, Math.round((at - this.#acceptedAt[index]!) * 1000)));
    }
    this.#nextToSettle = Math.max(this.#nextToSettle, last + 1);
  }

  /** Ingest calls measured so far. */
  get count(): number {
    return this.#histogram.totalCount;
  }

  /** The latency at `percentile` (0–100), in milliseconds; 0 when nothing was measured. */
  percentileMs(percentile: number): number {
    return this.count === 0 ? 0 : this.#histogram.getValueAtPercentile(percentile) / 1000;
  }
}
