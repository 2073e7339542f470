import type { AckPolicy } from "../script/ack-policy.js";

/**
 * Decides when a connection acknowledges, per the ack policy in force at each request. Acks it sends only go
 * up (cumulative); malformed acks are sent around it by script steps.
 */
export class AckEngine {
  #lastReceived = -1n;
  #lastSent = -1n;
  #recordsSinceAck = 0;
  #coalescing = false;
  readonly #timers = new Set<NodeJS.Timeout | NodeJS.Immediate>();

  constructor(
    private readonly send: (upTo: bigint) => void,
    private readonly policy: () => AckPolicy,
  ) {}

  /** Highest ack sent by the policy; -1n before any. */
  get lastSent(): bigint {
    return this.#lastSent;
  }

  /** Highest wire offset received; -1n before any. */
  get lastReceived(): bigint {
    return this.#lastReceived;
  }

  /** Called once per accepted request, in order. */
  onRequest(offset: bigint, records: number): void {
    this.#lastReceived = offset;
    const policy = this.policy();
    if (policy === "immediate") {
      this.ack(offset);
    } else if (policy === "coalesced" || (typeof policy === "object" && "coalesceMs" in policy)) {
      if (this.#coalescing) return;
      this.#coalescing = true;
      const flush = (): void => {
        this.#coalescing = false;
        this.ack(this.#lastReceived);
      };
      this.#later(flush, policy === "coalesced" ? undefined : policy.coalesceMs);
    } else if (typeof policy === "object" && "delayMs" in policy) {
      this.#later(() => this.ack(offset), policy.delayMs);
    } else if (typeof policy === "object" && "everyRecords" in policy) {
      this.#recordsSinceAck += records;
      if (this.#recordsSinceAck >= policy.everyRecords) this.ack(offset);
    }
    // "never": withheld until release().
  }

  /** Acks up to `offset` if that is higher than the last ack. */
  ack(offset: bigint): void {
    if (offset <= this.#lastSent) return;
    this.#lastSent = offset;
    this.#recordsSinceAck = 0;
    this.send(offset);
  }

  /** Sends the withheld ack: everything received so far. */
  release(): void {
    this.ack(this.#lastReceived);
  }

  /** Cancels pending delayed acks (the connection ended). */
  stop(): void {
    for (const timer of this.#timers) {
      clearTimeout(timer as NodeJS.Timeout);
      clearImmediate(timer as NodeJS.Immediate);
    }
    this.#timers.clear();
  }

  /** Runs `action` after `ms`, or on the next event-loop turn when `ms` is undefined. */
  #later(action: () => void, ms: number | undefined): void {
    const run = (): void => {
      this.#timers.delete(timer);
      action();
    };
    const timer = ms === undefined ? setImmediate(run) : setTimeout(run, ms);
    this.#timers.add(timer);
  }
}
