import { ZerobusError } from "../zerobus-error.js";
import { cancelledError, listenForAbort } from "./cancellation.js";

interface OffsetWaiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: ZerobusError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly stopListening: () => void;
}

/**
 * Pending `waitForOffset` / `flush` calls, sorted by the offset they wait for, each bounded by a timeout
 * (`flush_timeout`, retryable: the stream stays open, PROTOCOL.md B §4.6). Only these calls get timers and
 * promises; records themselves never do.
 */
export class OffsetWaiters {
  #waiters: OffsetWaiter[] = [];

  get size(): number {
    return this.#waiters.length;
  }

  /** Waits until {@link release} passes beyond `target`, the timeout fires, or `signal` aborts. */
  wait(target: number, timeoutMs: number, operation: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (error?: ZerobusError) => {
        clearTimeout(waiter.timer);
        waiter.stopListening();
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        if (error === undefined) resolve();
        else reject(error);
      };
      const waiter: OffsetWaiter = {
        target,
        resolve: () => settle(),
        reject: (error) => settle(error),
        timer: setTimeout(
          () =>
            settle(
              new ZerobusError(
                "flush_timeout",
                `${operation} timed out after ${timeoutMs} ms waiting for offset ${target} to be acknowledged`,
              ),
            ),
          timeoutMs,
        ),
        // The error names the offset waited for: an aborted `ingest*AndWait` reports it (API.md).
        stopListening: listenForAbort(signal, () =>
          settle(cancelledError(signal as AbortSignal, operation, BigInt(target))),
        ),
      };
      this.#insert(waiter);
    });
  }

  /** Resolves every waiter whose target is below `ackedEnd` (every offset below it is acknowledged). */
  release(ackedEnd: number): void {
    while (this.#waiters.length > 0 && (this.#waiters[0] as OffsetWaiter).target < ackedEnd) {
      (this.#waiters[0] as OffsetWaiter).resolve();
    }
  }

  /** Rejects every waiter with `error`. */
  rejectAll(error: ZerobusError): void {
    while (this.#waiters.length > 0) (this.#waiters[0] as OffsetWaiter).reject(error);
  }

  #insert(waiter: OffsetWaiter): void {
    let low = 0;
    let high = this.#waiters.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#waiters[middle] as OffsetWaiter).target <= waiter.target) low = middle + 1;
      else high = middle;
    }
    this.#waiters.splice(low, 0, waiter);
  }
}
