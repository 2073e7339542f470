import type { Writable } from "node:stream";
import type {
  CallOptions,
  IngestCallOptions,
  StreamState,
  StreamStats,
  WireRecord,
  WireStream,
} from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import { withAcceptedOffset } from "./cancellation.js";
import type { IngestAllOptions, IngestAllResult } from "./ingest-all.js";
import { ingestAll } from "./ingest-all.js";
import type { WritableOptions } from "./ingest-writable.js";
import { createIngestWritable } from "./ingest-writable.js";
import { inspectCustom } from "./inspect-custom.js";
import type { RecordEncoder } from "./record-encoder.js";

/** `options` itself, when it is an object: a `null` or a number there would fail with a TypeError. */
function checkOptionsObject<O extends object>(options: O, method: string): O {
  if (typeof options !== "object" || options === null) {
    throw new ZerobusError("invalid_argument", `the options of ${method} must be an object`);
  }
  return options;
}

function checkBatchSize(batchSize: unknown): number | undefined {
  if (batchSize === undefined) return undefined;
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new ZerobusError(
      "invalid_argument",
      `batchSize must be a positive integer, got ${String(batchSize)}`,
    );
  }
  return batchSize;
}

function checkOffset(offset: unknown): bigint {
  if (typeof offset === "bigint" && offset >= 0n) return offset;
  if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return BigInt(offset);
  throw new ZerobusError("invalid_argument", `offset must be a non-negative bigint, got ${String(offset)}`);
}

const fromObjects: IngestCallOptions = Object.freeze({ serialisedFromObjects: true });

/**
 * The options an ingest call passes to the backend stream: the caller's, with `serialisedFromObjects` set
 * by the SDK alone (a caller's own field of that name never counts). Without options, no allocation.
 */
function ingestOptions(options: CallOptions | undefined, serialised: boolean): IngestCallOptions | undefined {
  if (options === undefined) return serialised ? fromObjects : undefined;
  return { ...options, serialisedFromObjects: serialised };
}

/**
 * One ingestion stream into one table. Safe to use from any number of concurrent async tasks: offsets are
 * unique and increase in call order, also when calls are not awaited. Delivery is at-least-once.
 *
 * @typeParam R - the records this stream takes (JSON objects or text; Proto bytes or messages)
 * @typeParam W - the wire form of its records (`string` for JSON, `Uint8Array` for Proto)
 *
 * @example
 * ```ts
 * const stream = await sdk.createStream("main.iot.readings", clientId, clientSecret);
 * try {
 *   await stream.ingestRecord({ device: "t-1", celsius: 21.5 });
 * } finally {
 *   await stream.close();
 * }
 * ```
 */
export class ZerobusStream<R = unknown, W extends WireRecord = WireRecord> {
  readonly #inner: WireStream;
  readonly #encode: RecordEncoder;

  /** @internal Streams are created by `ZerobusSdk`. */
  constructor(inner: WireStream, encode: RecordEncoder) {
    this.#inner = inner;
    this.#encode = encode;
  }

  /** @internal The core stream under this one (its records already encoded). */
  get coreStream(): WireStream {
    return this.#inner;
  }

  /** @internal */
  get encoder(): RecordEncoder {
    return this.#encode;
  }

  /** `catalog.schema.table`. */
  get tableName(): string {
    return this.#inner.tableName;
  }

  /** `open`, `paused`, `recovering`, `closing`, `closed` or `failed`. */
  get state(): StreamState {
    return this.#inner.state;
  }

  /** The server's id of the current connection (it changes on recovery). */
  get streamId(): string | undefined {
    return this.#inner.streamId;
  }

  /** Accepts one record; resolves with its offset once accepted (waiting for room if the limits are reached). */
  // Generic so that object literals are not held to excess-property checks against the record type.
  ingestRecord<T extends R>(record: T, options?: CallOptions): Promise<bigint> {
    try {
      // Text given as a string is parsed by the stream (validateRecords); text the encoder serialised from
      // an object is a JSON object already, and is not parsed again.
      const wire = this.#encode(record);
      return this.#inner.ingestRecord(wire, ingestOptions(options, typeof record !== "string"));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Accepts one record and resolves with its offset once the server acknowledged it. */
  async ingestRecordAndWait<T extends R>(record: T, options?: CallOptions): Promise<bigint> {
    return this.#andWait(await this.ingestRecord(record, options), options);
  }

  /** Accepts a non-empty batch under one offset; the server acknowledges it as a whole. */
  ingestRecords<T extends R>(records: readonly T[], options?: CallOptions): Promise<bigint> {
    try {
      if (!Array.isArray(records))
        throw new ZerobusError("invalid_argument", "ingestRecords takes an array of records");
      if (records.length === 0)
        throw new ZerobusError("invalid_argument", "ingestRecords needs at least one record");
      const wire = new Array<WireRecord>(records.length);
      let serialised = true;
      for (let i = 0; i < records.length; i++) {
        if (typeof records[i] === "string") serialised = false;
        try {
          wire[i] = this.#encode(records[i]);
        } catch (error) {
          throw error instanceof ZerobusError
            ? new ZerobusError(error.code, `record ${i} of the batch: ${error.rawMessage}`, { cause: error })
            : error;
        }
      }
      return this.#inner.ingestRecords(wire, ingestOptions(options, serialised));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Accepts a batch and resolves with its offset once the server acknowledged it. */
  async ingestRecordsAndWait<T extends R>(records: readonly T[], options?: CallOptions): Promise<bigint> {
    return this.#andWait(await this.ingestRecords(records, options), options);
  }

  async #andWait(offset: bigint, options: CallOptions | undefined): Promise<bigint> {
    try {
      await this.#inner.waitForOffset(offset, options);
    } catch (error) {
      throw withAcceptedOffset(error, offset);
    }
    return offset;
  }

  /** Resolves once `offset` is acknowledged (bounded by `flushTimeoutMs`). */
  async waitForOffset(offset: bigint, options?: CallOptions): Promise<void> {
    await this.#inner.waitForOffset(checkOffset(offset), options);
  }

  /** Resolves once everything accepted before the call is acknowledged (bounded by `flushTimeoutMs`). */
  flush(options?: CallOptions): Promise<void> {
    return this.#inner.flush(options);
  }

  /** Flushes, then ends the stream. Idempotent; rejects with the failure on a failed stream. */
  close(options?: CallOptions): Promise<void> {
    return this.#inner.close(options);
  }

  /** Calls {@link close}: `await using stream = await sdk.createStream(…)` (TypeScript, Node ≥ 24). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** A snapshot of the records accepted and not yet acknowledged, in offset order, as sent on the wire. */
  getUnackedRecords(): W[] {
    return this.#inner.getUnackedRecords() as W[];
  }

  /** The same, grouped by ingest call. */
  getUnackedBatches(): W[][] {
    return this.#inner.getUnackedBatches() as W[][];
  }

  /** Counters of this stream; `recordsResent` bounds the duplicates a recovery may have caused. */
  stats(): StreamStats {
    return this.#inner.stats();
  }

  /**
   * Ingests every record of a (sync or async) iterable, waiting for room as needed, and resolves with how
   * many were accepted. It does not flush.
   */
  async ingestAll<T extends R>(
    source: Iterable<T> | AsyncIterable<T>,
    options: IngestAllOptions = {},
  ): Promise<IngestAllResult> {
    return ingestAll(
      this,
      source,
      checkOptionsObject(options, "ingestAll"),
      checkBatchSize(options.batchSize),
    );
  }

  /**
   * A Node `Writable` in object mode that ingests what is written, honouring backpressure (a write
   * completes once its record is accepted). `end()` flushes; it does not close the stream.
   */
  toWritable(options: WritableOptions = {}): Writable {
    return createIngestWritable(this, checkBatchSize(checkOptionsObject(options, "toWritable").batchSize));
  }

  [inspectCustom](): string {
    return `ZerobusStream { tableName: ${JSON.stringify(this.tableName)}, state: ${this.state}, streamId: ${JSON.stringify(this.streamId)} }`;
  }

  toJSON(): Record<string, unknown> {
    return { tableName: this.tableName, state: this.state, streamId: this.streamId };
  }
}
