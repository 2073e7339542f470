import type { FaultDirection } from "./fault-plan.js";

/** A one-shot action due once `afterBytes` bytes were forwarded in `direction` (`"either"`: both summed). */
export interface ByteThreshold {
  readonly afterBytes: number;
  readonly direction: FaultDirection | "either";
  readonly fire: () => void;
}

/** Forwarded byte counts of a connection. */
export interface ByteCounts {
  readonly bytesUp: number;
  readonly bytesDown: number;
}

/** The count a threshold watches. */
export function countOf(direction: FaultDirection | "either", counts: ByteCounts): number {
  if (direction === "up") return counts.bytesUp;
  if (direction === "down") return counts.bytesDown;
  return counts.bytesUp + counts.bytesDown;
}

/**
 * The pending byte-count faults of a connection. Pipes ask for their allowance before forwarding and split
 * chunks at it, so a fault fires after exactly its byte, never in the middle of a chunk's worth of overshoot.
 */
export class ByteThresholds {
  readonly #pending: ByteThreshold[];

  /** `thresholds` in the order they fire when due together. */
  constructor(thresholds: ByteThreshold[]) {
    this.#pending = thresholds;
  }

  /** How many more bytes `direction` may forward before the next threshold it counts towards. */
  allowance(direction: FaultDirection, counts: ByteCounts): number {
    let allowance = Infinity;
    for (const threshold of this.#pending) {
      if (threshold.direction !== direction && threshold.direction !== "either") continue;
      allowance = Math.min(allowance, threshold.afterBytes - countOf(threshold.direction, counts));
    }
    return allowance;
  }

  /** Fires (once) every threshold the counts reached. */
  check(counts: ByteCounts): void {
    const due = this.#pending.filter(
      (threshold) => countOf(threshold.direction, counts) >= threshold.afterBytes,
    );
    for (const threshold of due) this.#pending.splice(this.#pending.indexOf(threshold), 1);
    for (const threshold of due) threshold.fire();
  }
}
