import type { HeadersReason } from "../../headers.js";
import type { SupportedRecordType } from "../../record-type.js";
import type { StreamState, StreamStats } from "../../wire-stream.js";
import type { ZerobusError } from "../../zerobus-error.js";

/**
 * What is known of a stream when its observer is made (issue 18): bounded values only, so they can be
 * metric attributes. The stream id is not here (it changes on every recovery): observers get it with the
 * events that create a connection, for spans and diagnostics only.
 */
export interface ObservedStream {
  /** `catalog.schema.table`. */
  readonly table: string;
  /** The backend's name: `js` or `native`. */
  readonly backend: string;
  /** Host of the Zerobus endpoint (`server.address` in OpenTelemetry's conventions). */
  readonly serverAddress: string;
  /** Port of the Zerobus endpoint (`server.port`). */
  readonly serverPort: number;
  readonly recordType: SupportedRecordType;
}

/** How a recovery episode ended. */
export type RecoveryOutcome = "recovered" | "failed" | "abandoned";

/**
 * The moments of one stream's life that observability reports (issue 18), called by the core stream that
 * both backends share, so each backend gets them without code of its own. Every method is called
 * synchronously, in the caller's async context (an OpenTelemetry context manager sees the user's active
 * span in `openStarted`, `flushStarted` and `closeStarted`), and must neither throw nor block: the stream
 * catches and logs a throw. Implementations: the `node:diagnostics_channel` publisher (always on, free
 * without subscribers) and the OpenTelemetry recorder (only with the SDK's `telemetry` option).
 */
export interface StreamObserver {
  /**
   * Whether the stream must time records from acceptance to acknowledgement (a timestamp per ingest
   * call): `acknowledged` then receives `oldestAcceptedAt`. Read once, when the stream is made.
   */
  readonly wantsAckLatency: boolean;
  /**
   * Whether `accepted` is called for every ingest call, the stream's hot path. An observer that counts from
   * the stream's own counters ({@link attachStats}) leaves it false and costs an ingest call nothing: the
   * OpenTelemetry recorder does (a call per record into a second observer took 10-20 % of the rate of awaited
   * single records in the bench's W7). Read once, when the stream is made.
   */
  readonly wantsAccepted: boolean;

  /**
   * Called once, when the stream is made (after records it was seeded with by a recreation were queued):
   * `stats` reads the stream's counters (`stats()`), for an observer that reads them when it needs them
   * (a metric collection) rather than on every ingest call.
   */
  attachStats(stats: () => StreamStats): void;

  /** The stream is being created (`createStream` / recreation): before the first attempt. */
  openStarted(): void;
  /** Creation ended: the server created it (`streamId`), or it failed with `error` after every attempt. */
  openEnded(result: { streamId: string } | { error: ZerobusError }): void;

  /** A connection attempt starts (creation or recovery); `attempt` counts from 1 within its episode. */
  attemptStarted(reason: HeadersReason, attempt: number): void;
  /** That attempt ended: the server created the stream, or it failed. */
  attemptEnded(reason: HeadersReason, result: { streamId: string } | { error: ZerobusError }): void;
  /** The headers provider answered (or failed) for an attempt, after `durationMs` (a token fetch). */
  headersFetched(reason: HeadersReason, durationMs: number, error?: ZerobusError): void;

  /** A recovery episode starts after `cause` broke the connection (none: a close-signal pause ended). */
  recoveryStarted(cause: ZerobusError | undefined): void;
  /** The episode ended: recovered (an ack on the new connection, or nothing to re-send), failed, abandoned. */
  recoveryEnded(outcome: RecoveryOutcome, error?: ZerobusError): void;
  /** The server sent a close signal: it will end the connection in `durationMs`. */
  closeSignal(durationMs: number): void;

  /** An ingest call was accepted: `records` records of `bytes` payload bytes (only with `wantsAccepted`). */
  accepted(records: number, bytes: number): void;
  /** An ingest call was refused (a bad record, a full queue with a signal, a stream not open…). */
  refused(error: ZerobusError): void;
  /**
   * An acknowledgement covered `records` more records (`bytes` payload bytes), up to logical offset `upTo`.
   * `oldestAcceptedAt` (`performance.now()` at acceptance of the oldest record it covers) is given when
   * `wantsAckLatency` is true.
   */
  acknowledged(upTo: bigint, records: number, bytes: number, oldestAcceptedAt?: number): void;
  /** A new connection re-sends `records` records (`bytes` bytes) that were unacknowledged. */
  resent(records: number, bytes: number): void;
  /** The stream's state changed; `reason` is the error that caused it, if any. */
  stateChanged(state: StreamState, reason?: ZerobusError): void;

  /**
   * `flush()` starts / ends (`error` when it rejected). Flushes may overlap: `call` numbers the stream's
   * `flush()` calls from 1 and pairs each end with its start.
   */
  flushStarted(call: number): void;
  flushEnded(error: ZerobusError | undefined, call: number): void;
  /** `close()` starts / ends. */
  closeStarted(): void;
  closeEnded(error?: ZerobusError): void;
  /** The stream failed for good with `error` (an error metric by `error.type`). */
  failed(error: ZerobusError): void;
}

/** Makes the observer of each stream a registry opens. */
export type StreamObserverFactory = (stream: ObservedStream) => StreamObserver;
