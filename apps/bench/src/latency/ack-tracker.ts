import type { Histogram } from "hdr-histogram-js";
import { newLatencyHistogram, recordMs } from "./latency-histogram.js";

/**
 * The latencies of one run: when each record started (its intended time in the open loop, its call in
 * the closed loop), and the histogram each ack feeds. Start times live in one typed array indexed by
 * the record's offset, so an ack costs no allocation and no promise per record; only the closed loop,
 * which waits for one record at a time, asks for a promise ({@link waitFor}).
 */
export class AckTracker {
  readonly histogram: Histogram = newLatencyHistogram();
  /** Start time of each record (ms, `performance.now()`), by offset. */
  readonly startedAt: Float64Array;
  /** Records acknowledged so far. */
  acked = 0;
  /** When the latest ack arrived (ms); `undefined` before the first. */
  lastAckAt: number | undefined;
  readonly #now: () => number;
  #waiter: { index: number; resolve: () => void; reject: (error: unknown) => void } | undefined;
  #failure: unknown;

  constructor(startedAt: Float64Array, now: () => number = () => performance.now()) {
    this.startedAt = startedAt;
    this.#now = now;
  }

  /** A cumulative ack: every record up to offset `upTo` (inclusive) not counted yet is acknowledged now. */
  ackUpTo(upTo: number): void {
    const last = Math.min(upTo, this.startedAt.length - 1);
    if (last < this.acked) return;
    const now = this.#now();
    for (let i = this.acked; i <= last; i++) recordMs(this.histogram, now - (this.startedAt[i] as number));
    this.acked = last + 1;
    this.lastAckAt = now;
    this.#wake();
  }

  /** One record acknowledged on its own (the official client learns of each through its own wait). */
  ackOne(index: number): void {
    const now = this.#now();
    recordMs(this.histogram, now - (this.startedAt[index] as number));
    this.acked++;
    this.lastAckAt = now;
    this.#wake();
  }

  /** The stream failed: the run's wait rejects with `error`. */
  fail(error: unknown): void {
    this.#failure ??= error;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.reject(error);
  }

  /** Resolves once `index + 1` records are acknowledged (one waiter at a time). */
  waitFor(index: number): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.acked > index) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiter = { index, resolve, reject };
    });
  }

  #wake(): void {
    const waiter = this.#waiter;
    if (waiter !== undefined && this.acked > waiter.index) {
      this.#waiter = undefined;
      waiter.resolve();
    }
  }
}
