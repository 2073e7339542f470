import type { HeadersReason } from "../../headers.js";
import type { Logger } from "../../logger.js";
import type { StreamState, StreamStats } from "../../wire-stream.js";
import type { ZerobusError } from "../../zerobus-error.js";
import type { RecoveryOutcome, StreamObserver } from "./stream-observer.js";

/**
 * Several observers of one stream as one (issue 18): each call goes to every observer in order, and an
 * observer's throw is logged (`logger.warn`) and goes no further, so it neither reaches the stream nor
 * keeps the observers after it from hearing of the moment. A fixed array walked by index: no allocation per
 * call.
 */
export class ObserverFanout implements StreamObserver {
  readonly wantsAckLatency: boolean;
  readonly wantsAccepted: boolean;
  readonly #observers: readonly StreamObserver[];
  /** The observers that want `accepted`: the others are not called on the ingest path at all. */
  readonly #acceptors: readonly StreamObserver[];
  readonly #logger: Logger;

  constructor(observers: readonly StreamObserver[], logger: Logger) {
    this.#observers = observers.slice();
    this.#acceptors = observers.filter((observer) => observer.wantsAccepted);
    this.#logger = logger;
    this.wantsAckLatency = observers.some((observer) => observer.wantsAckLatency);
    this.wantsAccepted = this.#acceptors.length > 0;
    const only = this.#acceptors.length === 1 ? this.#acceptors[0] : undefined;
    if (only !== undefined) {
      // The ingest path's call with one observer that wants it (the diagnostics publisher): no loop, so the
      // engine's call site stays small enough for V8 to inline it with the rest of an ingest call (W7).
      this.accepted = (records, bytes) => {
        try {
          only.accepted(records, bytes);
        } catch (error) {
          this.#threw("accepted", error);
        }
      };
    }
  }

  attachStats(stats: () => StreamStats): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).attachStats(stats);
      } catch (error) {
        this.#threw("attachStats", error);
      }
    }
  }

  openStarted(): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).openStarted();
      } catch (error) {
        this.#threw("openStarted", error);
      }
    }
  }

  openEnded(result: { streamId: string } | { error: ZerobusError }): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).openEnded(result);
      } catch (error) {
        this.#threw("openEnded", error);
      }
    }
  }

  attemptStarted(reason: HeadersReason, attempt: number): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).attemptStarted(reason, attempt);
      } catch (error) {
        this.#threw("attemptStarted", error);
      }
    }
  }

  attemptEnded(reason: HeadersReason, result: { streamId: string } | { error: ZerobusError }): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).attemptEnded(reason, result);
      } catch (error) {
        this.#threw("attemptEnded", error);
      }
    }
  }

  headersFetched(reason: HeadersReason, durationMs: number, failure?: ZerobusError): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).headersFetched(reason, durationMs, failure);
      } catch (error) {
        this.#threw("headersFetched", error);
      }
    }
  }

  recoveryStarted(cause: ZerobusError | undefined): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).recoveryStarted(cause);
      } catch (error) {
        this.#threw("recoveryStarted", error);
      }
    }
  }

  recoveryEnded(outcome: RecoveryOutcome, failure?: ZerobusError): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).recoveryEnded(outcome, failure);
      } catch (error) {
        this.#threw("recoveryEnded", error);
      }
    }
  }

  closeSignal(durationMs: number): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).closeSignal(durationMs);
      } catch (error) {
        this.#threw("closeSignal", error);
      }
    }
  }

  accepted(records: number, bytes: number): void {
    const observers = this.#acceptors;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).accepted(records, bytes);
      } catch (error) {
        this.#threw("accepted", error);
      }
    }
  }

  refused(failure: ZerobusError): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).refused(failure);
      } catch (error) {
        this.#threw("refused", error);
      }
    }
  }

  acknowledged(upTo: bigint, records: number, bytes: number, oldestAcceptedAt?: number): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).acknowledged(upTo, records, bytes, oldestAcceptedAt);
      } catch (error) {
        this.#threw("acknowledged", error);
      }
    }
  }

  resent(records: number, bytes: number): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).resent(records, bytes);
      } catch (error) {
        this.#threw("resent", error);
      }
    }
  }

  stateChanged(state: StreamState, reason?: ZerobusError): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).stateChanged(state, reason);
      } catch (error) {
        this.#threw("stateChanged", error);
      }
    }
  }

  flushStarted(call: number): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).flushStarted(call);
      } catch (error) {
        this.#threw("flushStarted", error);
      }
    }
  }

  flushEnded(failure: ZerobusError | undefined, call: number): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).flushEnded(failure, call);
      } catch (error) {
        this.#threw("flushEnded", error);
      }
    }
  }

  closeStarted(): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).closeStarted();
      } catch (error) {
        this.#threw("closeStarted", error);
      }
    }
  }

  closeEnded(failure?: ZerobusError): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).closeEnded(failure);
      } catch (error) {
        this.#threw("closeEnded", error);
      }
    }
  }

  failed(failure: ZerobusError): void {
    const observers = this.#observers;
    for (let i = 0; i < observers.length; i++) {
      try {
        (observers[i] as StreamObserver).failed(failure);
      } catch (error) {
        this.#threw("failed", error);
      }
    }
  }

  #threw(moment: string, error: unknown): void {
    try {
      this.#logger.warn(`a stream observer threw in ${moment}; observers must not throw`, { error });
    } catch {
      // A logger that throws must not break the stream either.
    }
  }
}
