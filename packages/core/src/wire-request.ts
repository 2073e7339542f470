import type { WireRecord } from "./wire-stream.js";

/**
 * One request of the stream engine for a connection to send: an `IngestRecordRequest` or an
 * `IngestRecordBatchRequest`, already cut to size and numbered.
 */
export interface WireRequest {
  /** The physical `offset_id` on the current connection: 0, 1, 2, … from every new connection. */
  readonly wireOffset: number;
  /** `true`: send an `IngestRecordBatchRequest` of `records`; `false`: an `IngestRecordRequest` of `records[0]`. */
  readonly batch: boolean;
  /** The records, in order. Never empty. Do not mutate. */
  readonly records: readonly WireRecord[];
  /** Each record's payload byte length (UTF-8 for JSON), measured once when it was accepted. */
  readonly recordBytes: readonly number[];
  /** Sum of the records' payload bytes (UTF-8 length for JSON). */
  readonly payloadBytes: number;
  /** The logical offsets carried, `firstOffset..lastOffset` inclusive (one per ingest call). */
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
}
