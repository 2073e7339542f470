import type { ZerobusError } from "../zerobus-error.js";
import { cancelledError, listenForAbort } from "./cancellation.js";
import type { EntryPayload } from "./entry-ring.js";

/** An ingest call waiting for room in the landing queue (PROTOCOL.md A.7). */
export interface RoomWaiter {
  readonly payload: EntryPayload;
  readonly count: number;
  readonly bytes: number;
  /** Each record's byte length, for a batch. */
  readonly lengths: readonly number[] | undefined;
  /** Called with the offset once the call is admitted. */
  readonly admit: (offset: number) => void;
  readonly reject: (error: ZerobusError) => void;
}

interface QueuedWaiter extends RoomWaiter {
  done: boolean;
  readonly signal: AbortSignal | undefined;
  stopListening: () => void;
  /** Leaves the queue rejected with `cancelled`. */
  cancel: () => void;
}

/**
 * First-in-first-out queue of ingest calls waiting for room. While one waits, later calls queue behind it
 * even if they would fit, so offsets follow call order. An aborted waiter leaves the queue and was never
 * accepted.
 */
export class RoomWaiters {
  #queue: QueuedWaiter[] = [];
  #head = 0;
  readonly #onRefused: (error: ZerobusError) => void;

  /** `onRefused` hears of every waiting call that is rejected (cancelled, or the stream closed or failed). */
  constructor(onRefused: (error: ZerobusError) => void = () => {}) {
    this.#onRefused = onRefused;
  }

  /** True when no call waits. */
  get isEmpty(): boolean {
    return this.#head === this.#queue.length;
  }

  /**
   * Queues a call; resolves with its logical offset once admitted. `onAbort` runs after an aborted waiter
   * left the queue (the next one may fit now).
   */
  wait(
    payload: EntryPayload,
    count: number,
    bytes: number,
    lengths: readonly number[] | undefined,
    signal: AbortSignal | undefined,
    onAbort: () => void,
  ): Promise<bigint> {
    return new Promise<bigint>((resolve, reject) => {
      const waiter: QueuedWaiter = {
        payload,
        count,
        bytes,
        lengths,
        signal,
        done: false,
        admit: (offset) => {
          waiter.stopListening();
          resolve(BigInt(offset));
        },
        reject: (error) => {
          waiter.stopListening();
          this.#onRefused(error);
          reject(error);
        },
        cancel: () => {
          waiter.done = true;
          waiter.reject(cancelledError(signal as AbortSignal, "ingest"));
        },
        stopListening: listenForAbort(signal, () => {
          if (waiter.done) return;
          waiter.cancel();
          this.#compact();
          onAbort();
        }),
      };
      this.#queue.push(waiter);
    });
  }

  /** The oldest waiting call, if any, without removing it. */
  peek(): RoomWaiter | undefined {
    this.#compact();
    return this.#queue[this.#head];
  }

  /** Removes the oldest waiting call (after {@link peek} returned it). */
  shift(): void {
    const waiter = this.#queue[this.#head];
    if (waiter !== undefined) waiter.done = true;
    this.#head++;
    this.#compact();
  }

  /** Rejects every waiting call with `error`. */
  rejectAll(error: ZerobusError): void {
    for (let waiter = this.peek(); waiter !== undefined; waiter = this.peek()) {
      this.shift();
      waiter.reject(error);
    }
  }

  /**
   * Skips aborted waiters at the front and drops the consumed prefix once it dominates the array. A
   * waiter whose signal fired but whose listener has not run yet (calls sharing one signal: the first
   * listener admits the next waiters) is cancelled here, so it is never admitted after its abort.
   */
  #compact(): void {
    for (let waiter = this.#queue[this.#head]; waiter !== undefined; waiter = this.#queue[this.#head]) {
      if (!waiter.done && waiter.signal?.aborted === true) waiter.cancel();
      if (!waiter.done) break;
      this.#head++;
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
