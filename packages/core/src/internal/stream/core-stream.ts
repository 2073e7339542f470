import type { Backend, Connection, ConnectTarget } from "../../backend.js";
import type { Logger } from "../../logger.js";
import type { SupportedRecordType } from "../../record-type.js";
import type {
  CallOptions,
  IngestCallOptions,
  OpenStreamContext,
  StreamEvents,
  StreamState,
  StreamStats,
  WireRecord,
  WireStream,
} from "../../wire-stream.js";
import { ZerobusError } from "../../zerobus-error.js";
import { invalidSignal } from "../cancellation.js";
import { silentObserver } from "../observe/silent-observer.js";
import type { StreamObserver } from "../observe/stream-observer.js";
import type { Dial } from "../recovery/index.js";
import { StreamRecovery } from "../recovery/index.js";
import { StreamEngine } from "../stream-engine.js";
import { LiveConnection } from "./live-connection.js";
import { observedDial } from "./observed-dial.js";

/** What a stream needs from whoever opened it (the {@link StreamRegistry}). */
export interface StreamHost {
  /** Opens a new stream on the same table, headers and options (recreation). */
  reopen(context: OpenStreamContext): Promise<WireStream>;
  /** Called once when the stream is over (closed or failed), so the registry forgets it. */
  finished(stream: CoreStream): void;
}

/** What {@link CoreStream.open} takes. */
export interface CoreStreamInit {
  readonly backend: Backend;
  readonly target: ConnectTarget;
  readonly context: OpenStreamContext;
  readonly host: StreamHost;
  readonly logger: Logger;
  /**
   * Hears of every moment of the stream's life (issue 18); must not throw (the registry gives the
   * diagnostics publisher, or a fan-out that guards each observer). None: {@link silentObserver}.
   */
  readonly observer?: StreamObserver | undefined;
}

/**
 * The one stream of the Zerobus packages, whatever carries its bytes (ARCHITECTURE.md "The Backend
 * contract"): the {@link StreamEngine} for records, offsets, limits and waits; the lifecycle — open, close
 * (A.8), recreation (A.9), terminal failure (A.7), abort; and {@link StreamRecovery} for when a connection
 * breaks (A.3, A.4, A.15). A backend supplies connections ({@link Backend.connect}); each one in use is a
 * {@link LiveConnection}, which sends, times acks and pauses on close signals.
 *
 * @example
 * ```ts
 * const stream = await CoreStream.open({ backend, target: { table, options, headers }, context: {}, host, logger });
 * const offset = await stream.ingestRecord('{"id":1}');
 * await stream.waitForOffset(offset);
 * await stream.close();
 * ```
 */
export class CoreStream implements WireStream {
  readonly tableName: string;
  readonly recordType: SupportedRecordType;
  readonly #engine: StreamEngine;
  readonly #host: StreamHost;
  readonly #events: StreamEvents | undefined;
  readonly #recovery: StreamRecovery<Connection>;
  /** Aborted when the stream is over: stops reconnections and header requests in progress. */
  readonly #lifetime = new AbortController();
  #live: LiveConnection | undefined;
  /** The server's id of the latest connection, kept after it was let go (without keeping the connection). */
  #streamId: string | undefined;
  #closing: Promise<void> | undefined;
  #recreation: Promise<WireStream> | undefined;
  /** `flush()` calls so far: numbers each for the observer (flushes may overlap). */
  #flushes = 0;

  private constructor(init: CoreStreamInit, engine: StreamEngine) {
    this.tableName = init.target.table.tableName;
    this.recordType = engine.options.recordType;
    this.#engine = engine;
    this.#host = init.host;
    this.#events = init.context.events;
    const dial: Dial<Connection> = observedDial(init.backend, init.target, engine.observer);
    this.#recovery = new StreamRecovery(engine, this.#lifetime.signal, {
      dial,
      install: (connection) => this.#install(connection),
      fail: (error) => this.#fail(error),
    });
  }

  /**
   * Connects (with retries per the options, PROTOCOL.md A.4) and resolves once the server created the
   * stream; seeded records (recreation) are sent first. Rejects with the last attempt's error, or
   * `cancelled` when `context.signal` fires.
   */
  static async open(init: CoreStreamInit): Promise<CoreStream> {
    const { context } = init;
    const observer = init.observer ?? silentObserver;
    const engine = new StreamEngine({
      options: init.target.options,
      events: context.events,
      logger: init.logger,
      seed: context.seed,
      observer,
    });
    const stream = new CoreStream(init, engine);
    const lifetime = stream.#lifetime.signal;
    const signal = context.signal ? AbortSignal.any([context.signal, lifetime]) : lifetime;
    observer.openStarted();
    try {
      await stream.#recovery.open(signal);
    } catch (error) {
      stream.#lifetime.abort(error);
      observer.openEnded({ error: ZerobusError.from(error) });
      throw error;
    }
    observer.openEnded({ streamId: stream.#streamId ?? "" });
    return stream;
  }

  get state(): StreamState {
    return this.#engine.state;
  }

  /** The server's id of the current connection (it changes on recovery). */
  get streamId(): string | undefined {
    return this.#streamId;
  }

  ingestRecord(record: WireRecord, options?: IngestCallOptions): Promise<bigint> {
    return this.#engine.ingestRecord(record, options);
  }

  ingestRecords(records: readonly WireRecord[], options?: IngestCallOptions): Promise<bigint> {
    return this.#engine.ingestRecords(records, options);
  }

  waitForOffset(offset: bigint, options?: CallOptions): Promise<void> {
    return this.#engine.waitForOffset(offset, options);
  }

  flush(options?: CallOptions): Promise<void> {
    const observer = this.#engine.observer;
    const call = ++this.#flushes;
    observer.flushStarted(call);
    // The caller gets the promise that reports, so a rejection it leaves unhandled is still reported.
    return this.#engine.flush(options).then(
      () => observer.flushEnded(undefined, call),
      (error: unknown) => {
        observer.flushEnded(ZerobusError.from(error), call);
        throw error;
      },
    );
  }

  getUnackedRecords(): WireRecord[] {
    return this.#engine.getUnackedRecords();
  }

  getUnackedBatches(): WireRecord[][] {
    return this.#engine.getUnackedBatches();
  }

  stats(): StreamStats {
    return this.#engine.stats();
  }

  /** Flushes, then ends the stream (A.8). Idempotent; a failed stream rejects with its failure. */
  close(options?: CallOptions): Promise<void> {
    const failure = this.#engine.failure;
    if (failure !== undefined) return Promise.reject(failure);
    const invalid = invalidSignal(options?.signal, "close");
    if (invalid !== undefined) return Promise.reject(invalid);
    if (this.#closing === undefined) {
      const observer = this.#engine.observer;
      observer.closeStarted();
      this.#closing = this.#close(options).then(
        () => observer.closeEnded(),
        (error: unknown) => {
          observer.closeEnded(ZerobusError.from(error));
          throw error;
        },
      );
    }
    return this.#closing;
  }

  /**
   * A new stream whose first records are this one's unacknowledged ones, with the same events (A.9).
   * Asked again, it gives the same new stream (or the same attempt in progress): two would send the
   * unacknowledged records twice. A failed attempt can be retried.
   */
  recreate(context?: OpenStreamContext): Promise<WireStream> {
    const state = this.#engine.state;
    if (state !== "failed" && state !== "closed") {
      return Promise.reject(
        new ZerobusError(
          "invalid_state",
          `only a failed or closed stream can be recreated; this one is ${state}`,
        ),
      );
    }
    if (this.#recreation === undefined) {
      const recreation = this.#host.reopen({
        ...(this.#events === undefined ? {} : { events: this.#events }),
        ...context,
        seed: this.#engine.getUnackedBatches(),
      });
      this.#recreation = recreation;
      recreation.catch(() => {
        if (this.#recreation === recreation) this.#recreation = undefined;
      });
    }
    return this.#recreation;
  }

  /** Ends the stream at once without flushing (the backend shuts down): pending calls reject. */
  abort(error: ZerobusError): void {
    if (this.#engine.state === "closed" || this.#engine.failure !== undefined) return;
    this.#live?.abort();
    this.#fail(error);
  }

  // ---- internals ----------------------------------------------------------------------------------------

  /** Takes a connection the server created (at creation, or from {@link StreamRecovery}). */
  #install(connection: Connection): void {
    this.#streamId = connection.streamId;
    const recovery = this.#recovery;
    this.#live = new LiveConnection(connection, this.#engine, {
      closeSignal: (durationMs) => this.#engine.observer.closeSignal(durationMs),
      progressed: () => recovery.onProgress(),
      broke: (error) => {
        this.#live = undefined;
        recovery.onBreak(error);
      },
      leave: () => {
        this.#live = undefined;
        recovery.reconnect();
      },
    });
  }

  /** Fails the stream for good: every waiting call rejects with `error`, unacked records stay retrievable. */
  #fail(error: ZerobusError): void {
    const engine = this.#engine;
    if (engine.state === "closed" || engine.failure !== undefined) return;
    // Released before the engine fails, which then unblocks sending itself and rejects the calls that
    // waited for the transport to drain, instead of resolving them with offsets.
    this.#live?.release(false);
    this.#live = undefined;
    this.#lifetime.abort(error);
    this.#recovery.streamEnded();
    engine.fail(error);
    engine.observer.failed(error);
    this.#host.finished(this);
  }

  async #close(options: CallOptions | undefined): Promise<void> {
    const engine = this.#engine;
    if (engine.state === "closed") return;
    engine.setState("closing");
    let flushError: unknown;
    try {
      await engine.flush(options);
    } catch (error) {
      flushError = error;
    }
    const failure = engine.failure;
    if (failure !== undefined) throw failure;
    const live = this.#live;
    this.#live = undefined;
    await live?.release(flushError === undefined);
    engine.setSendBlocked(false);
    this.#lifetime.abort(new ZerobusError("stream_closed", "the stream was closed", { retryable: false }));
    this.#recovery.streamEnded();
    engine.setState("closed");
    this.#host.finished(this);
    if (flushError !== undefined) throw flushError;
  }
}
