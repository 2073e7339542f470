import type {
  BackendStream,
  CallOptions,
  OpenStreamContext,
  StreamState,
  StreamStats,
  WireRecord,
} from "../backend.js";
import type { SupportedRecordType } from "../record-type.js";
import type { StreamEngine } from "./stream-engine.js";

/**
 * The part of a `BackendStream` that is the engine's alone (records, offsets, waits, unacked records,
 * stats, state), shared by every backend; a backend's stream extends it and adds its connection:
 * `streamId`, `close` and `recreate`.
 *
 * @example
 * ```ts
 * class MyStream extends EngineBackedStream {
 *   get streamId() { return this.#id; }
 *   async close() { await this.engine.flush(); … }
 *   recreate(context) { … }
 * }
 * ```
 */
export abstract class EngineBackedStream implements BackendStream {
  readonly tableName: string;
  readonly recordType: SupportedRecordType;
  protected readonly engine: StreamEngine;

  protected constructor(tableName: string, engine: StreamEngine) {
    this.tableName = tableName;
    this.recordType = engine.options.recordType;
    this.engine = engine;
  }

  get state(): StreamState {
    return this.engine.state;
  }

  abstract get streamId(): string | undefined;

  ingestRecord(record: WireRecord, options?: CallOptions): Promise<bigint> {
    return this.engine.ingestRecord(record, options);
  }

  ingestRecords(records: readonly WireRecord[], options?: CallOptions): Promise<bigint> {
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

  abstract close(options?: CallOptions): Promise<void>;

  abstract recreate(context?: OpenStreamContext): Promise<BackendStream>;
}
