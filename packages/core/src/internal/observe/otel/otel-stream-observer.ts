import type { Attributes } from "@opentelemetry/api";
import type { HeadersReason } from "../../../headers.js";
import type { StreamState, StreamStats } from "../../../wire-stream.js";
import type { ZerobusError } from "../../../zerobus-error.js";
import type { ObservedStream, RecoveryOutcome, StreamObserver } from "../stream-observer.js";
import {
  ATTR_BACKEND,
  ATTR_CONNECTION_REASON,
  ATTR_ERROR_TYPE,
  ATTR_RECORD_TYPE,
  ATTR_RECOVERY_OUTCOME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_TABLE,
} from "./attribute-names.js";
import type { StreamSpans } from "./stream-spans.js";
import type { FigureValues, StreamFigures, ZerobusInstruments } from "./zerobus-instruments.js";

/** The attributes of every metric of `stream`: bounded values only. */
export function metricAttributes(stream: ObservedStream): Attributes {
  return {
    [ATTR_TABLE]: stream.table,
    [ATTR_BACKEND]: stream.backend,
    [ATTR_SERVER_ADDRESS]: stream.serverAddress,
    [ATTR_SERVER_PORT]: stream.serverPort,
  };
}

/** The attributes of every span of `stream`. */
export function spanAttributes(stream: ObservedStream): Attributes {
  return { ...metricAttributes(stream), [ATTR_RECORD_TYPE]: stream.recordType === 1 ? "proto" : "json" };
}

/** `attributes` with `error.type`, when there is an error (OpenTelemetry sets it on failures only). */
function withError(attributes: Attributes, error: ZerobusError | undefined): Attributes {
  return error === undefined ? attributes : { ...attributes, [ATTR_ERROR_TYPE]: error.code };
}

/**
 * At most one ack latency per stream is recorded in this many milliseconds. Recording one per ack hashes the
 * attribute set each time (OpenTelemetry's synchronous instruments do): with one ack per awaited single
 * record that doubled its cost in the bench (W7). Sampled in time, the histogram keeps the distribution of
 * latencies over the run at a bounded cost (≤ 1,000 observations a second per stream; below that rate every
 * ack is recorded); its count is the number of samples, `zerobus.records.acknowledged` counts the records.
 */
export const ACK_LATENCY_SAMPLE_MS = 1;

/** The counters of a stream not attached yet (see `attachStats`): nothing accepted. */
const NOTHING_COUNTED: StreamStats = {
  recordsAccepted: 0,
  bytesAccepted: 0,
  recordsAcked: 0,
  recordsInFlight: 0,
  bytesInFlight: 0,
  recordsResent: 0,
  recoveries: 0,
  connections: 0,
  requestSizeLimit: 0,
};

/**
 * One stream's observer: metrics into the shared instruments, spans through {@link StreamSpans}. Records
 * and bytes accepted, acknowledged and in flight are read from the stream's counters at each collection
 * (`wantsAccepted` is false: an ingest call costs nothing here).
 */
export class OtelStreamObserver implements StreamObserver {
  readonly wantsAckLatency = true;
  readonly wantsAccepted = false;
  readonly #instruments: ZerobusInstruments;
  readonly #spans: StreamSpans;
  readonly #attributes: Attributes;
  readonly #figures: StreamFigures;
  #stats: () => StreamStats = () => NOTHING_COUNTED;
  /** What the stream was seeded with by a recreation: the stream it came from counted it as accepted. */
  #seededRecords = 0;
  #seededBytes = 0;
  #recordsResent = 0;
  #bytesResent = 0;
  /** When an ack latency was last recorded (`performance.now()`), for {@link ACK_LATENCY_SAMPLE_MS}. */
  #latencySampledAt = Number.NEGATIVE_INFINITY;
  /** Counted once whether creation failed (`openEnded`) or the open stream did (`failed`). */
  #errorCounted = false;

  constructor(instruments: ZerobusInstruments, spans: StreamSpans, stream: ObservedStream) {
    this.#instruments = instruments;
    this.#spans = spans;
    this.#attributes = metricAttributes(stream);
    this.#figures = { attributes: this.#attributes, state: "open", read: () => this.#read() };
  }

  attachStats(stats: () => StreamStats): void {
    this.#stats = stats;
    const seeded = stats();
    this.#seededRecords = seeded.recordsAccepted;
    this.#seededBytes = seeded.bytesAccepted;
  }

  openStarted(): void {
    this.#spans.openStarted();
  }

  openEnded(result: { streamId: string } | { error: ZerobusError }): void {
    // Counted from its creation: a stream that never opened is in no state.
    if ("streamId" in result) this.#instruments.track(this.#figures);
    else this.#countError(result.error);
    this.#spans.openEnded(result);
  }

  attemptStarted(_reason: HeadersReason, attempt: number): void {
    this.#spans.attemptStarted(attempt);
  }

  attemptEnded(reason: HeadersReason, result: { streamId: string } | { error: ZerobusError }): void {
    const error = "error" in result ? result.error : undefined;
    this.#instruments.connectionAttempts.add(
      1,
      withError({ ...this.#attributes, [ATTR_CONNECTION_REASON]: reason }, error),
    );
    this.#spans.attemptEnded(reason, result);
  }

  headersFetched(reason: HeadersReason, durationMs: number, error?: ZerobusError): void {
    const attributes = withError({ ...this.#attributes, [ATTR_CONNECTION_REASON]: reason }, error);
    this.#instruments.tokenFetches.add(1, attributes);
    this.#instruments.tokenFetchDuration.record(durationMs / 1000, attributes);
  }

  recoveryStarted(cause: ZerobusError | undefined): void {
    this.#spans.recoveryStarted(cause);
  }

  recoveryEnded(outcome: RecoveryOutcome, error?: ZerobusError): void {
    this.#instruments.recoveries.add(
      1,
      withError(
        { ...this.#attributes, [ATTR_RECOVERY_OUTCOME]: outcome },
        outcome === "failed" ? error : undefined,
      ),
    );
    this.#spans.recoveryEnded(outcome, error);
  }

  closeSignal(_durationMs: number): void {
    this.#instruments.closeSignals.add(1, this.#attributes);
  }

  accepted(): void {}

  refused(error: ZerobusError): void {
    this.#instruments.refusals.add(1, withError(this.#attributes, error));
  }

  acknowledged(_upTo: bigint, _records: number, _bytes: number, oldestAcceptedAt?: number): void {
    if (oldestAcceptedAt === undefined) return;
    const now = performance.now();
    if (now - this.#latencySampledAt < ACK_LATENCY_SAMPLE_MS) return;
    this.#latencySampledAt = now;
    this.#instruments.ackDuration.record(Math.max(0, now - oldestAcceptedAt) / 1000, this.#attributes);
  }

  resent(records: number, bytes: number): void {
    this.#recordsResent += records;
    this.#bytesResent += bytes;
    this.#spans.resent(records);
  }

  stateChanged(state: StreamState): void {
    this.#figures.state = state;
    if (state === "closed" || state === "failed") this.#instruments.retire(this.#figures);
  }

  flushStarted(call?: number): void {
    this.#spans.flushStarted(call);
  }

  flushEnded(error?: ZerobusError, call?: number): void {
    this.#spans.flushEnded(error, call);
  }

  closeStarted(): void {
    this.#spans.closeStarted();
  }

  closeEnded(error?: ZerobusError): void {
    this.#spans.closeEnded(error);
  }

  failed(error: ZerobusError): void {
    this.#countError(error);
  }

  /** The stream's figures now; acknowledged bytes are the accepted ones no longer in flight. */
  #read(): FigureValues {
    const stats = this.#stats();
    return {
      recordsAccepted: stats.recordsAccepted - this.#seededRecords,
      bytesAccepted: stats.bytesAccepted - this.#seededBytes,
      recordsAcknowledged: stats.recordsAcked,
      bytesAcknowledged: stats.bytesAccepted - stats.bytesInFlight,
      recordsInFlight: stats.recordsInFlight,
      bytesInFlight: stats.bytesInFlight,
      recordsResent: this.#recordsResent,
      bytesResent: this.#bytesResent,
    };
  }

  #countError(error: ZerobusError): void {
    if (this.#errorCounted) return;
    this.#errorCounted = true;
    this.#instruments.errors.add(1, withError(this.#attributes, error));
  }
}
