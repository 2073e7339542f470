import type { HeldRecords } from "../backend.js";
import type { Logger } from "../logger.js";
import { silentLogger } from "../logger.js";
import type { ResolvedStreamOptions } from "../stream-options.js";
import { resolveStreamOptions } from "../stream-options.js";
import type { WireRequest } from "../wire-request.js";
import type {
  CallOptions,
  IngestCallOptions,
  StreamEvents,
  StreamState,
  StreamStats,
  WireRecord,
} from "../wire-stream.js";
import { ZerobusError } from "../zerobus-error.js";
import { cancelledError, invalidSignal, refusedBySignal } from "./cancellation.js";
import type { EntryPayload } from "./entry-ring.js";
import { LandingQueue, maxBatchFieldBytes } from "./landing-queue.js";
import { silentObserver } from "./observe/silent-observer.js";
import type { StreamObserver } from "./observe/stream-observer.js";
import { OffsetWaiters } from "./offset-waiters.js";
import { checkRecordFits, largestSingleRecord, measureBatch, measureRecord } from "./record-checks.js";
import { RoomWaiters } from "./room-waiters.js";

/** What a {@link StreamEngine} is built with. */
export interface StreamEngineInit {
  options: ResolvedStreamOptions;
  events?: StreamEvents | undefined;
  logger?: Logger | undefined;
  /** Records to queue first (recreation), one inner array per original ingest call. */
  seed?: readonly (readonly WireRecord[])[] | undefined;
  /** Hears of acceptances, refusals, acks, re-sends and state changes (issue 18); must not throw. */
  observer?: StreamObserver | undefined;
}

const acceptingStates: ReadonlySet<StreamState> = new Set(["open", "paused", "recovering"]);

/**
 * The clock of acceptance stamps, read once: Node's global `performance` is a lazy getter on `globalThis`,
 * which a timed stream would otherwise run on every ingest call (seen in the bench's CPU profile of W7).
 */
const clock = globalThis.performance;

/**
 * Ingest calls of one burst (until the stream's wake runs, at the end of the event-loop turn) that share
 * one acceptance stamp: a clock read per awaited single record was a visible part of what telemetry cost
 * (W7), and calls of one burst are accepted microseconds apart, far below the ack latency histogram's
 * first bucket (1 ms).
 */
const STAMP_REUSE = 32;

/**
 * After this many bytes accepted without a pause, the next accepted call resolves on a later macrotask
 * instead of at once. A caller awaiting ingest calls one by one never leaves the microtask queue while
 * there is room, so without this nothing would be sent until its loop ends; yielding every MiB lets the
 * connection send while the caller keeps ingesting. Offsets are still assigned synchronously, at the call.
 */
export const YIELD_AFTER_BYTES = 1024 * 1024;

/**
 * While the connection's transport pushes back ({@link StreamEngine.setSendBlocked}), an accepted call
 * resolves only once it drained if more than this many bytes wait unsent. The caller then ingests at the
 * pace the connection sends, doing its own work while the socket drains, instead of piling up requests
 * that all go out at the end; the record is accepted (its offset assigned) at the call all the same.
 */
export const MAX_UNSENT_WHILE_BLOCKED = 1024 * 1024;

/**
 * The client-side state of one stream, shared by every backend (ARCHITECTURE.md "The stream engine"):
 * logical offsets, the landing queue bounded by the in-flight limits, coalescing of single records into
 * batch requests, acknowledgements mapped back to logical offsets, waiters, unacked records, stats, state.
 *
 * A connection layer drives it through the connection-facing members: {@link setWakeHandler} (called
 * when records wait to be sent), {@link nextRequest} (take the next request to send), {@link acknowledge}
 * (the server acknowledged wire offset N), {@link requeueSent} (a new connection: sent-unacked requests
 * go back to the front), {@link setState}, {@link noteRecovery} and {@link fail}.
 *
 * @example
 * ```ts
 * const engine = new StreamEngine({ options, events });
 * engine.setWakeHandler(() => {
 *   for (let request = engine.nextRequest(); request; request = engine.nextRequest()) send(request);
 * });
 * // on each ack from the server:
 * const error = engine.acknowledge(ack);
 * if (error) breakConnection(error);
 * ```
 */
export class StreamEngine {
  /**
   * An engine that lives as long as the process and is never used. V8's optimised code and type feedback
   * hold the hidden classes ("maps") of the objects they saw only weakly, and a class's maps live only
   * while an instance does: once no stream is open, a full collection (V8's memory reducer runs one in a
   * process that goes idle after a burst) frees the engine's maps, and the next stream's hot path runs
   * deoptimised until it warms up again; measured with the bench's 200k awaited single records, each run
   * after such a collection took about 150 ms instead of 80. One idle instance keeps the maps, and the code
   * built for them, alive for the next stream. A static field, so that it lives as long as the class
   * (bundlers keep it too, where they might drop an unused module constant).
   */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: held, never read, on purpose (see above)
  static readonly #mapAnchor = new StreamEngine({
    options: resolveStreamOptions({}, { hasDescriptor: false }),
  });
  readonly options: ResolvedStreamOptions;
  readonly #events: StreamEvents;
  readonly #logger: Logger;
  /** The stream's observer (the always-on diagnostics publisher, or a fan-out that guards each call). */
  readonly observer: StreamObserver;
  /** Whether each entry is stamped at acceptance, for the observer's accept-to-ack latency. */
  readonly #timed: boolean;
  /** Whether the observer hears of each accepted ingest call (see `StreamObserver.wantsAccepted`). */
  readonly #tellsAccepted: boolean;
  readonly #queue: LandingQueue;
  readonly #roomWaiters = new RoomWaiters((error) => this.observer.refused(error));
  readonly #offsetWaiters = new OffsetWaiters();
  #state: StreamState = "open";
  /** Whether ingest calls are accepted (the state is open, paused or recovering); read on every call. */
  #accepting = true;
  #failure: ZerobusError | undefined;
  #wake: (() => void) | undefined;
  #wakeScheduled = false;
  #bytesSinceYield = 0;
  #sendBlocked = false;
  /**
   * Callers yielding while the transport is blocked, released when it drains or the stream ends: with
   * the stream's failure if it failed (A.7: no offset of a dead stream is returned), else resolved.
   */
  #drainWaiters: ((failure: ZerobusError | undefined) => void)[] = [];
  readonly #largestSingle: number;
  /** The acceptance stamp of the current burst, and how many ingest calls took it (see STAMP_REUSE). */
  #stamp = 0;
  #stampUses = 0;
  readonly #runWake = (): void => {
    this.#wakeScheduled = false;
    this.#stampUses = 0;
    // `closing` still sends: close() flushes what was accepted before it.
    if (this.#queue.hasQueued && this.#state !== "closed" && this.#state !== "failed") this.#wake?.();
  };
  readonly #admitWaiters = (): void => {
    for (let waiter = this.#roomWaiters.peek(); waiter !== undefined; waiter = this.#roomWaiters.peek()) {
      if (!this.#hasRoom(waiter.count, waiter.bytes)) return;
      this.#roomWaiters.shift();
      waiter.admit(this.#admit(waiter.payload, waiter.count, waiter.bytes, waiter.lengths));
    }
  };

  constructor(init: StreamEngineInit) {
    this.options = init.options;
    this.#events = init.events ?? {};
    this.#logger = init.logger ?? silentLogger;
    this.observer = init.observer ?? silentObserver;
    this.#timed = this.observer.wantsAckLatency;
    this.#tellsAccepted = this.observer.wantsAccepted;
    this.#largestSingle = largestSingleRecord(this.options);
    const logger = this.#logger;
    this.#queue = new LandingQueue(
      maxBatchFieldBytes(this.options.maxMessageBytes),
      (message) => logger.debug(message),
      this.#timed,
    );
    for (const batch of init.seed ?? []) {
      if (batch.length === 0) continue;
      // A one-record seed entry may have been a single ingest call: let it coalesce again.
      const payload: EntryPayload = batch.length === 1 ? (batch[0] as WireRecord) : batch.slice();
      const lengths = batch.map((record) => measureRecord(record, this.options.recordType, false));
      const bytes = lengths.reduce((sum, length) => sum + length, 0);
      // Not reported as accepted: the stream they were accepted by reported them.
      const offset = this.#queue.push(payload, batch.length, bytes, batch.length === 1 ? undefined : lengths);
      if (this.#timed) this.#queue.stamp(offset, clock.now());
    }
    const queue = this.#queue;
    this.observer.attachStats(() => queue.stats());
  }

  // ---- user-facing side -------------------------------------------------------------------------------

  get state(): StreamState {
    return this.#state;
  }

  /** The terminal error, once the stream failed. */
  get failure(): ZerobusError | undefined {
    return this.#failure;
  }

  /** The next logical offset to be assigned (the number of ingest calls accepted so far). */
  get nextOffset(): bigint {
    return BigInt(this.#queue.end);
  }

  /**
   * Accepts one record once there is room; resolves with its logical offset (A.10 checks first; the JSON
   * parse check is skipped for text the SDK serialised itself, `options.serialisedFromObjects`).
   */
  ingestRecord(record: WireRecord, options?: IngestCallOptions): Promise<bigint> {
    const signal = options?.signal;
    if (signal !== undefined) {
      const refusal = signalRefusal(signal, "ingest");
      if (refusal !== undefined) return this.#refuse(refusal);
    }
    if (!this.#accepting) return this.#refuse(this.#closedError());
    let bytes: number;
    try {
      bytes = measureRecord(record, this.options.recordType, this.#validates(options));
      if (bytes > this.#largestSingle) checkRecordFits(bytes, this.options);
    } catch (error) {
      return this.#refuse(error);
    }
    return this.#accept(ownCopy(record), 1, bytes, undefined, signal);
  }

  /** Accepts a non-empty batch under one logical offset (copied: later changes to the array do not count). */
  ingestRecords(records: readonly WireRecord[], options?: IngestCallOptions): Promise<bigint> {
    const signal = options?.signal;
    if (signal !== undefined) {
      const refusal = signalRefusal(signal, "ingest");
      if (refusal !== undefined) return this.#refuse(refusal);
    }
    if (!this.#accepting) return this.#refuse(this.#closedError());
    if (!Array.isArray(records)) {
      return this.#refuse(new ZerobusError("invalid_argument", "records must be an array"));
    }
    const batch = records.slice();
    let size: ReturnType<typeof measureBatch>;
    try {
      size = measureBatch(batch, this.options, this.#validates(options));
    } catch (error) {
      return this.#refuse(error);
    }
    // Copied (once checked): later changes to the array, or to its records' bytes, change nothing accepted.
    for (let i = 0; i < batch.length; i++) batch[i] = ownCopy(batch[i] as WireRecord);
    return this.#accept(batch, batch.length, size.bytes, size.lengths, signal);
  }

  /** Resolves once `offset` is acknowledged; bounded by `flushTimeoutMs` (`flush_timeout`, retryable). */
  waitForOffset(offset: bigint, options?: CallOptions): Promise<void> {
    if (typeof offset !== "bigint" || offset < 0n) {
      return Promise.reject(new ZerobusError("invalid_argument", "offset must be a non-negative bigint"));
    }
    return this.#waitFor(Number(offset), "waitForOffset", options?.signal);
  }

  /** Resolves once every record accepted before the call is acknowledged; bounded by `flushTimeoutMs`. */
  flush(options?: CallOptions): Promise<void> {
    return this.#waitFor(this.#queue.end - 1, "flush", options?.signal);
  }

  /** A snapshot of the unacknowledged records in offset order (everything left after a failure or close). */
  getUnackedRecords(): WireRecord[] {
    return this.#queue.unackedRecords();
  }

  /** The same, one array per ingest call. */
  getUnackedBatches(): WireRecord[][] {
    return this.#queue.unackedBatches();
  }

  stats(): StreamStats {
    return this.#queue.stats();
  }

  // ---- connection-facing side -------------------------------------------------------------------------

  /**
   * Registers the function the engine calls when records wait to be sent. It runs on a later macrotask
   * (`setImmediate`), once per burst, so that records ingested back to back coalesce into few requests.
   * It is not called while the stream is `closed` or `failed`.
   */
  setWakeHandler(wake: (() => void) | undefined): void {
    this.#wake = wake;
    if (wake !== undefined && this.#queue.hasQueued) this.#scheduleWake();
  }

  /** Whether accepted records wait to be sent on the current connection. */
  get hasQueued(): boolean {
    return this.#queue.hasQueued;
  }

  /** Whether requests were sent on the current connection and are not yet acknowledged. */
  get hasSentUnacked(): boolean {
    return this.#queue.hasSentUnacked;
  }

  /**
   * Takes the next request to send on the current connection (it counts as sent from now on), or
   * `undefined` when nothing is queued. Consecutive queued entries, single records and batches from
   * `ingestRecords` alike, are coalesced into one batch request whose encoded size stays within
   * `maxMessageBytes` (PROTOCOL.md A.15); a batch is never split across requests (its records share one
   * logical offset). A single record alone goes as an `IngestRecordRequest`. After a connection that made
   * no progress, requests are smaller and fewer are in flight until acks come back (slow start, A.15):
   * `undefined` then also means "wait for an ack" (the engine wakes the connection again when one comes).
   */
  nextRequest(): WireRequest | undefined {
    return this.#queue.nextRequest();
  }

  /**
   * The server acknowledged every request up to wire offset `upTo` on the current connection: resolves the
   * waiters it satisfies, calls `onAck` once, admits waiting ingest calls. Returns a retryable
   * `protocol_error` (and changes nothing) for an ack lower than the previous one or beyond the last
   * request sent (PROTOCOL.md A.2); the connection should then break and recover.
   */
  acknowledge(upTo: bigint | number): ZerobusError | undefined {
    if (this.#failure !== undefined) return undefined;
    const slowStarting = this.#queue.slowStarting;
    const result = this.#queue.acknowledge(Number(upTo));
    if (typeof result !== "number") return result;
    const upToOffset = BigInt(result - 1);
    const queue = this.#queue;
    const records = queue.ackedRecords;
    const bytes = queue.ackedBytes;
    if (this.#timed) this.observer.acknowledged(upToOffset, records, bytes, queue.ackedOldestStamp);
    else this.observer.acknowledged(upToOffset, records, bytes);
    const onAck = this.#events.onAck;
    if (onAck !== undefined) this.#call("onAck", () => onAck(upToOffset, { records, bytes }));
    this.#offsetWaiters.release(result);
    this.#admitWaiters();
    // Slow start may have held queued requests back until this ack opened its window (outside slow start,
    // queued records already have a wake-up scheduled, or wait for the transport's drain).
    if (slowStarting && this.#queue.hasQueued && this.#wake !== undefined) this.#scheduleWake();
    return undefined;
  }

  /**
   * Starts a new connection's numbering: every request sent and not acknowledged goes back to the front of
   * the queue, in order, to be sent first; wire offsets restart at 0. Returns how many records will be
   * sent again (added to `stats().recordsResent`).
   */
  requeueSent(): number {
    return this.#queue.requeueSent();
  }

  /** The connection took `request` and holds its records: the engine drops its own copy (one per process). */
  holdSent(request: WireRequest, holder: HeldRecords): void {
    this.#queue.holdSent(request, holder);
  }

  /** The connection is ending: the records it holds come back to the engine, and it lets go of them. */
  restoreHeld(): void {
    this.#queue.restoreHeld();
  }

  /**
   * The connection's transport pushes back (`true`: grpc-js asked to wait for 'drain') or drained again
   * (`false`). While blocked, ingest calls wait for the drain once {@link MAX_UNSENT_WHILE_BLOCKED} bytes
   * wait unsent; report `false` whenever the connection goes away, so a stream that is paused or
   * recovering keeps buffering up to its in-flight limits.
   */
  setSendBlocked(blocked: boolean): void {
    this.#sendBlocked = blocked;
    if (!blocked) this.#releaseDrainWaiters();
  }

  /** Counts a successful reconnection in `stats().recoveries`. */
  noteRecovery(): void {
    this.#queue.recoveries++;
  }

  /**
   * Counts a connection the server created (the first included) in `stats().connections`; the records
   * moved back by {@link requeueSent} since the last connection are re-sent on it (the observer's `resent`).
   */
  noteConnection(): void {
    const queue = this.#queue;
    queue.connections++;
    if (queue.resendRecords === 0) return;
    this.observer.resent(queue.resendRecords, queue.resendBytes);
    queue.resendRecords = 0;
    queue.resendBytes = 0;
  }

  /**
   * Moves to `state` (use {@link fail} for `failed`), telling `onStateChange` when it changed. `closing`
   * refuses new ingest calls and rejects those waiting for room; `closed` also rejects pending waits.
   */
  setState(state: Exclude<StreamState, "failed">, reason?: ZerobusError): void {
    if (this.#state === state || this.#state === "failed" || this.#state === "closed") return;
    this.#state = state;
    this.#accepting = acceptingStates.has(state);
    if (state === "closing" || state === "closed") this.#roomWaiters.rejectAll(this.#closedError());
    if (state !== "open") this.setSendBlocked(false);
    if (state === "closed") this.#offsetWaiters.rejectAll(this.#closedError());
    this.observer.stateChanged(state, reason);
    this.#call("onStateChange", () => this.#events.onStateChange?.(state, reason));
  }

  /**
   * Fails the stream for good: every waiting call rejects with `error`, `onError` runs once, unacked
   * records stay retrievable. Does nothing on a stream already failed or closed.
   */
  fail(error: ZerobusError): void {
    if (this.#failure !== undefined || this.#state === "closed") return;
    this.#failure = error;
    this.#state = "failed";
    this.#accepting = false;
    this.setSendBlocked(false);
    this.#roomWaiters.rejectAll(error);
    this.#offsetWaiters.rejectAll(error);
    this.observer.stateChanged("failed", error);
    this.#call("onStateChange", () => this.#events.onStateChange?.("failed", error));
    this.#call("onError", () => this.#events.onError?.(error));
  }

  // ---- internals --------------------------------------------------------------------------------------

  #accept(
    payload: EntryPayload,
    count: number,
    bytes: number,
    lengths: readonly number[] | undefined,
    signal: AbortSignal | undefined,
  ): Promise<bigint> {
    if (!this.#roomWaiters.isEmpty || !this.#hasRoom(count, bytes)) {
      return this.#roomWaiters.wait(payload, count, bytes, lengths, signal, this.#admitWaiters);
    }
    const offset = BigInt(this.#admit(payload, count, bytes, lengths));
    if (this.#sendBlocked && this.#queue.unsentBytes > MAX_UNSENT_WHILE_BLOCKED) {
      this.#bytesSinceYield = 0;
      return new Promise((resolve, reject) =>
        this.#drainWaiters.push((failure) => (failure === undefined ? resolve(offset) : reject(failure))),
      );
    }
    this.#bytesSinceYield += bytes;
    if (this.#bytesSinceYield < YIELD_AFTER_BYTES) return Promise.resolve(offset);
    this.#bytesSinceYield = 0;
    // Queued after the wake-up (setImmediate runs in order), so the connection sends first.
    return new Promise((resolve) => setImmediate(resolve, offset));
  }

  #releaseDrainWaiters(): void {
    if (this.#drainWaiters.length === 0) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const release of waiters) release(this.#failure);
  }

  #hasRoom(count: number, bytes: number): boolean {
    return this.#queue.hasRoom(count, bytes, this.options.maxInflightRecords, this.options.maxInflightBytes);
  }

  #admit(
    payload: EntryPayload,
    count: number,
    bytes: number,
    lengths: readonly number[] | undefined,
  ): number {
    const offset = this.#queue.push(payload, count, bytes, lengths);
    if (!this.#wakeScheduled && this.#wake !== undefined) this.#scheduleWake();
    if (this.#timed) this.#queue.stamp(offset, this.#acceptanceStamp());
    if (this.#tellsAccepted) this.observer.accepted(count, bytes);
    return offset;
  }

  /**
   * `performance.now()` for an accepted entry, read once per STAMP_REUSE calls of a burst. The burst ends
   * when the wake scheduled with its first call runs (it resets the count); with no wake scheduled (no
   * connection to send on) nothing would end it, so every call reads the clock.
   */
  #acceptanceStamp(): number {
    if (this.#stampUses === 0 || this.#stampUses >= STAMP_REUSE || !this.#wakeScheduled) {
      this.#stamp = clock.now();
      this.#stampUses = 0;
    }
    this.#stampUses++;
    return this.#stamp;
  }

  /** Refuses an ingest call with `error` (an A.10 check, a stream not open), telling the observer. */
  #refuse(error: unknown): Promise<never> {
    this.observer.refused(ZerobusError.from(error));
    return Promise.reject(error);
  }

  /** Whether a call's JSON records are parsed (A.10): not when the SDK serialised them from objects itself. */
  #validates(options: IngestCallOptions | undefined): boolean {
    return this.options.validateRecords && options?.serialisedFromObjects !== true;
  }

  #scheduleWake(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    setImmediate(this.#runWake);
  }

  #waitFor(target: number, operation: string, signal: AbortSignal | undefined): Promise<void> {
    const refused = refusedBySignal(signal, operation);
    if (refused !== undefined) return refused;
    if (target < this.#queue.start) return Promise.resolve();
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#state === "closed") return Promise.reject(this.#closedError());
    return this.#offsetWaiters.wait(target, this.options.flushTimeoutMs, operation, signal);
  }

  #closedError(): ZerobusError {
    if (this.#failure !== undefined) {
      return new ZerobusError("stream_closed", `the stream failed: ${this.#failure.rawMessage}`, {
        retryable: false,
        cause: this.#failure,
      });
    }
    return new ZerobusError("stream_closed", `the stream is ${this.#state}`, { retryable: false });
  }

  #call(name: string, callback: () => unknown): void {
    try {
      const result = callback();
      // An async callback's rejection would otherwise be unhandled (by default that ends the process).
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") {
        Promise.resolve(result).catch((error: unknown) =>
          this.#logger.error(`the ${name} callback rejected; it must not fail`, { error }),
        );
      }
    } catch (error) {
      this.#logger.error(`the ${name} callback threw; it must not throw`, { error });
    }
  }
}

/** Why a call with `signal` is refused at once (not a signal, or already aborted), if it is. */
function signalRefusal(signal: AbortSignal, operation: string): ZerobusError | undefined {
  return invalidSignal(signal, operation) ?? (signal.aborted ? cancelledError(signal, operation) : undefined);
}

/**
 * A record the engine owns: a JSON string as it is (strings are immutable), the bytes of a proto record
 * copied. The caller may reuse, change, resize or transfer its buffer once the call returns; what was
 * accepted, measured and kept for re-sending stays as it was (a changed length would send stale bytes,
 * or make encoding throw).
 */
function ownCopy(record: WireRecord): WireRecord {
  return record instanceof Uint8Array ? new Uint8Array(record) : record;
}
