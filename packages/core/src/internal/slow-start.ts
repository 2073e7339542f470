/**
 * The progress guarantee of PROTOCOL.md A.15. Coalescing sends whatever is queued as one request of up to
 * `maxMessageBytes`; a server, proxy or load balancer that ends every connection once it received some
 * amount of data, without acknowledging the request that crossed the line, would then see the same large
 * request on every reconnection and acknowledge nothing, ever. So after a connection that made no progress,
 * the next one starts small: one request of one ingest unit in flight (a record, or a whole batch: a batch
 * never splits), and every acknowledged request doubles both the number of requests in flight and the
 * request size, until the size reaches the coalescing limit and sending is unrestricted again. Whatever the
 * budget, each connection then gets acknowledged what fits in it.
 *
 * Sizes are those of a batch request's repeated field (what coalescing measures), in bytes.
 */
export class SlowStart {
  readonly #maxFieldBytes: number;
  readonly #log: (message: string) => void;
  #active = false;
  /** Requests allowed in flight on the current connection. */
  #window = Number.POSITIVE_INFINITY;
  /** Largest request (repeated field bytes); 0: exactly one ingest unit per request. */
  #sizeLimit: number;

  constructor(maxFieldBytes: number, log: (message: string) => void) {
    this.#maxFieldBytes = maxFieldBytes;
    this.#sizeLimit = maxFieldBytes;
    this.#log = log;
  }

  /** Whether the limits are below the coalescing limits (slow start in progress). */
  get active(): boolean {
    return this.#active;
  }

  /** The largest request that may be sent now (bytes of the repeated field; 0 = one ingest unit). */
  get sizeLimit(): number {
    return this.#sizeLimit;
  }

  /** Whether another request may go while `inFlight` requests of this connection await their ack. */
  allows(inFlight: number): boolean {
    return inFlight < this.#window;
  }

  /** The connection that just ended made no progress: the next one starts with one small request. */
  restart(): void {
    if (this.#active && this.#window === 1 && this.#sizeLimit === 0) return;
    this.#active = true;
    this.#window = 1;
    this.#sizeLimit = 0;
    this.#log(
      "slow start: the last connection ended with records in flight and no acknowledgement; the next " +
        "sends one request of one ingest unit, and each acknowledged request doubles the size and the window",
    );
  }

  /**
   * The connection that just ended made progress but left requests unacknowledged: the next one starts at
   * what this one got acknowledged, `acked` requests in flight of at most `largestAcked` bytes, and grows
   * from there. Without it, limits grown past what the server takes per connection would make every other
   * connection start with a request that crosses the line again, re-sending the backlog each time.
   */
  resumeAt(largestAcked: number, acked: number): void {
    if (largestAcked >= this.#maxFieldBytes) return;
    if (this.#active && this.#sizeLimit <= largestAcked && this.#window <= acked) return;
    this.#active = true;
    this.#sizeLimit = Math.min(this.#sizeLimit, largestAcked);
    this.#window = Math.min(this.#window, Math.max(1, acked));
    this.#log(
      `slow start: the last connection ended with requests unacknowledged after ${acked} acknowledged; ` +
        `the next sends up to ${this.#window} requests in flight of up to ${this.#sizeLimit} bytes each`,
    );
  }

  /** One request of `fieldBytes` was acknowledged: double the window and the size, up to the limits. */
  acknowledged(fieldBytes: number): void {
    if (!this.#active) return;
    this.#window *= 2;
    this.#sizeLimit = Math.max(this.#sizeLimit, fieldBytes) * 2;
    if (this.#sizeLimit >= this.#maxFieldBytes) {
      this.#active = false;
      this.#window = Number.POSITIVE_INFINITY;
      this.#sizeLimit = this.#maxFieldBytes;
      this.#log("slow start: over, requests are back to the coalescing limits");
      return;
    }
    this.#log(
      `slow start: a request was acknowledged; now up to ${this.#window} requests in flight of up to ${this.#sizeLimit} bytes each`,
    );
  }
}
