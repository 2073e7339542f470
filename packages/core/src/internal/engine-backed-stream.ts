import type {
  BackendStream,
  CallOptions,
  IngestCallOptions,
  OpenStreamContext,
  StreamEvents,
  StreamState,
  StreamStats,
  WireRecord,
} from "../backend.js";
import type { SupportedRecordType } from "../record-type.js";
import { ZerobusError } from "../zerobus-error.js";
import { invalidSignal } from "./cancellation.js";
import type { StreamEngine } from "./stream-engine.js";

/** What a stream needs from the backend that opened it. */
export interface StreamHost<S> {
  /** Opens a new stream on the same table, headers and options (recreation). */
  readonly reopen: (context: OpenStreamContext) => Promise<BackendStream>;
  /** Called once when the stream is over (closed or failed), so the backend forgets it. */
  readonly onFinished: (stream: S) => void;
}

/**
 * The part of a `BackendStream` that does not depend on the connection, shared by every backend: records,
 * offsets, waits, unacked records, stats and state come from the engine; close (A.8), recreation (A.9)
 * and terminal failure follow one lifecycle. A backend's stream extends it and adds its connection:
 * `streamId`, how a connection is released, and what it does on failure.
 *
 * @example
 * ```ts
 * class MyStream extends EngineBackedStream<MyStream> {
 *   get streamId() { return this.#id; }
 *   protected releaseConnection(flushed: boolean) { … }
 * }
 * ```
 */
export abstract class EngineBackedStream<S extends EngineBackedStream<S>> implements BackendStream {
  readonly tableName: string;
  readonly recordType: SupportedRecordType;
  protected readonly engine: StreamEngine;
  /** Aborted when the stream is over: stops reconnections and header requests in progress. */
  protected readonly lifetime = new AbortController();
  readonly #host: StreamHost<S>;
  readonly #events: StreamEvents | undefined;
  #closing: Promise<void> | undefined;
  #recreation: Promise<BackendStream> | undefined;

  protected constructor(tableName: string, engine: StreamEngine, host: StreamHost<S>, events?: StreamEvents) {
    this.tableName = tableName;
    this.recordType = engine.options.recordType;
    this.engine = engine;
    this.#host = host;
    this.#events = events;
  }

  get state(): StreamState {
    return this.engine.state;
  }

  abstract get streamId(): string | undefined;

  ingestRecord(record: WireRecord, options?: IngestCallOptions): Promise<bigint> {
    return this.engine.ingestRecord(record, options);
  }

  ingestRecords(records: readonly WireRecord[], options?: IngestCallOptions): Promise<bigint> {
    return this.engine.ingestRecords(records, options);
  }

  waitForOffset(offset: bigint, options?: CallOptions): Promise<void> {
    return this.engine.waitForOffset(offset, options);
  }

  flush(options?: CallOptions): Promise<void> {
    return this.engine.flush(options);
  }

  getUnackedRecords(): WireRecord[] {
    return this.engine.getUnackedRecords();
  }

  getUnackedBatches(): WireRecord[][] {
    return this.engine.getUnackedBatches();
  }

  stats(): StreamStats {
    return this.engine.stats();
  }

  /** Flushes, then ends the stream (A.8). Idempotent; a failed stream rejects with its failure. */
  close(options?: CallOptions): Promise<void> {
    const failure = this.engine.failure;
    if (failure !== undefined) return Promise.reject(failure);
    const invalid = invalidSignal(options?.signal, "close");
    if (invalid !== undefined) return Promise.reject(invalid);
    this.#closing ??= this.#close(options);
    return this.#closing;
  }

  /**
   * A new stream whose first records are this one's unacknowledged ones, with the same events (A.9).
   * Asked again, it gives the same new stream (or the same attempt in progress): two would send the
   * unacknowledged records twice. A failed attempt can be retried.
   */
  recreate(context?: OpenStreamContext): Promise<BackendStream> {
    const state = this.engine.state;
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
        seed: this.engine.getUnackedBatches(),
      });
      this.#recreation = recreation;
      recreation.catch(() => {
        if (this.#recreation === recreation) this.#recreation = undefined;
      });
    }
    return this.#recreation;
  }

  /**
   * Releases the connection at the end of a close: gracefully when everything was acknowledged
   * (`flushed`), at once otherwise (the unacked records stay in the engine).
   */
  protected abstract releaseConnection(flushed: boolean): Promise<void> | void;

  /** Fails the stream for good: every waiting call rejects with `error`, unacked records stay retrievable. */
  protected fail(error: ZerobusError): void {
    if (this.engine.state === "closed" || this.engine.failure !== undefined) return;
    this.onFailure(error);
    this.lifetime.abort(error);
    this.engine.fail(error);
    this.#host.onFinished(this as unknown as S);
  }

  /** What the connection does when the stream fails (before waiting calls are rejected). */
  protected onFailure(_error: ZerobusError): void {}

  async #close(options: CallOptions | undefined): Promise<void> {
    if (this.engine.state === "closed") return;
    this.engine.setState("closing");
    let flushError: unknown;
    try {
      await this.engine.flush(options);
    } catch (error) {
      flushError = error;
    }
    const failure = this.engine.failure;
    if (failure !== undefined) throw failure;
    await this.releaseConnection(flushError === undefined);
    this.lifetime.abort(new ZerobusError("stream_closed", "the stream was closed", { retryable: false }));
    this.engine.setState("closed");
    this.#host.onFinished(this as unknown as S);
    if (flushError !== undefined) throw flushError;
  }
}
