import type { SupportedRecordType } from "./record-type.js";
import type { ZerobusError } from "./zerobus-error.js";

/** A record ready for the wire: a JSON text for JSON streams, encoded message bytes for Proto streams. */
export type WireRecord = string | Uint8Array;

/**
 * Where a stream is in its life. `paused`: a server close signal arrived and the stream drains before it
 * reconnects; `recovering`: reconnecting after a retryable failure; `failed` and `closed` are final.
 */
export type StreamState = "open" | "paused" | "recovering" | "closing" | "closed" | "failed";

/** Counters of one stream object (they survive recoveries). */
export interface StreamStats {
  /** Records accepted by `ingest*` (a batch counts each record). */
  recordsAccepted: number;
  /** Payload bytes accepted. */
  bytesAccepted: number;
  /** Records acknowledged by the server. */
  recordsAcked: number;
  /** Records accepted and not yet acknowledged. */
  recordsInFlight: number;
  /** Payload bytes accepted and not yet acknowledged. */
  bytesInFlight: number;
  /** Records that were unacknowledged when a recovery began: an upper bound of downstream duplicates. */
  recordsResent: number;
  /** Recovery episodes that succeeded (an ack arrived on the new connection, or nothing was in flight). */
  recoveries: number;
  /** Connections the server created for this stream object, the first included, failed ones too. */
  connections: number;
  /**
   * The largest request the stream sends now, in bytes of the records' repeated field: just under
   * `maxMessageBytes` normally; after a connection that made no progress, 0 (one ingest unit per request),
   * then doubling with each acknowledged request (slow start, PROTOCOL.md A.15).
   */
  requestSizeLimit: number;
}

/** What one acknowledgement newly covered (the second argument of {@link StreamEvents.onAck}). */
export interface AckProgress {
  /** Records acknowledged by this ack and by no earlier one. */
  readonly records: number;
  /** Their payload bytes (as counted in `stats().bytesAccepted`). */
  readonly bytes: number;
}

/** Callbacks of one stream; each is called synchronously and must not throw (a throw is logged). */
export interface StreamEvents {
  /**
   * Once per acknowledgement that made progress, with the highest logical offset it covers and how much it
   * newly covered: `records` (a batch counts each of its records) and their payload `bytes`. Summed over a
   * stream's acks, `records` is the number of records acknowledged (`stats().recordsAcked`), so progress
   * needs no polling.
   */
  onAck?: (upToOffset: bigint, ack: AckProgress) => void;
  /** Once, when the stream fails for good. */
  onError?: (error: ZerobusError) => void;
  /** On every state change; `reason` is the error that caused it, if any. */
  onStateChange?: (state: StreamState, reason?: ZerobusError) => void;
}

/** The table a stream writes to; `descriptorProto` holds a serialized `DescriptorProto` for Proto streams. */
export interface TableDescriptor {
  tableName: string;
  descriptorProto?: Uint8Array;
}

/** Per-call options of every waiting operation. */
export interface CallOptions {
  /** Aborting rejects the call with `cancelled` (API.md "Cancellation"). */
  signal?: AbortSignal;
}

/**
 * Per-call options of `WireStream.ingestRecord` and `ingestRecords`: {@link CallOptions} plus what the
 * SDK tells the stream about the records. Not part of `@zerobus/sdk`'s API (its ingest calls take
 * `CallOptions`, and it sets these fields itself).
 */
export interface IngestCallOptions extends CallOptions {
  /**
   * Every JSON record of this call is text the SDK itself serialised from an object with `JSON.stringify`
   * and found to start with `{`, so it is known to be a JSON object: the stream skips its parse check
   * (`validateRecords`, PROTOCOL.md A.10) for this call and keeps every other check (kind, sizes, limits).
   * Never set for text a user gave (the SDK leaves it off when any record of the call was a string).
   * Ignored on Proto streams.
   */
  serialisedFromObjects?: boolean;
}

/** What `openStream` receives besides the table, options and headers. */
export interface OpenStreamContext extends CallOptions {
  events?: StreamEvents;
  /**
   * Records to send first, before anything ingested later, one inner array per original ingest call
   * (recreation). They take logical offsets from 0 in order.
   */
  seed?: readonly (readonly WireRecord[])[];
}

/**
 * One stream on the wire-ready level: the whole stream surface of the public API, minus argument checking
 * and serialisation (the SDK's job). Offsets are logical `bigint`s from 0, one per ingest call, in call
 * order, never reset by recovery. `@zerobus/core/internal`'s `CoreStream` is the one implementation; the
 * conformance suite also tests the public API through it.
 */
export interface WireStream {
  readonly tableName: string;
  readonly recordType: SupportedRecordType;
  readonly state: StreamState;
  /** The server's id of the current connection. */
  readonly streamId: string | undefined;
  /** Accepts one record once there is room; resolves with its logical offset (the ack comes later). */
  ingestRecord(record: WireRecord, options?: IngestCallOptions): Promise<bigint>;
  /** Accepts a non-empty batch under one logical offset, acknowledged as a whole. */
  ingestRecords(records: readonly WireRecord[], options?: IngestCallOptions): Promise<bigint>;
  /** Resolves once `offset` is acknowledged; bounded by `flushTimeoutMs`. */
  waitForOffset(offset: bigint, options?: CallOptions): Promise<void>;
  /** Resolves once every record accepted before the call is acknowledged; bounded by `flushTimeoutMs`. */
  flush(options?: CallOptions): Promise<void>;
  /** Flushes, then ends the stream. Idempotent; rejects with the failure on a failed stream. */
  close(options?: CallOptions): Promise<void>;
  /** A snapshot of the records accepted and not yet acknowledged, in offset order. */
  getUnackedRecords(): WireRecord[];
  /** The same, grouped by ingest call. */
  getUnackedBatches(): WireRecord[][];
  stats(): StreamStats;
  /**
   * A new stream on the same table, headers and options whose first records are this stream's
   * unacknowledged ones, in order. Only from a `failed` or `closed` stream (else `invalid_state`).
   */
  recreate(context?: OpenStreamContext): Promise<WireStream>;
}
