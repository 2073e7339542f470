import { channel } from "node:diagnostics_channel";
import { DiagnosticsChannel } from "../../../diagnostics-channels.js";
import type { HeadersReason } from "../../../headers.js";
import type { StreamState } from "../../../wire-stream.js";
import type { ZerobusError } from "../../../zerobus-error.js";
import type { ObservedStream, RecoveryOutcome, StreamObserver } from "../stream-observer.js";

// Made once per process: `channel(name)` returns the same object for a name, and holding it here keeps
// each check below to one property read.
const openChannel = channel(DiagnosticsChannel.open);
const attemptChannel = channel(DiagnosticsChannel.attempt);
const headersChannel = channel(DiagnosticsChannel.headers);
const recoveryChannel = channel(DiagnosticsChannel.recovery);
const closeSignalChannel = channel(DiagnosticsChannel.closeSignal);
const acceptChannel = channel(DiagnosticsChannel.accept);
const refusedChannel = channel(DiagnosticsChannel.refused);
const ackChannel = channel(DiagnosticsChannel.ack);
const resendChannel = channel(DiagnosticsChannel.resend);
const stateChannel = channel(DiagnosticsChannel.state);
const flushChannel = channel(DiagnosticsChannel.flush);
const closeChannel = channel(DiagnosticsChannel.close);
const errorChannel = channel(DiagnosticsChannel.error);

/**
 * The always-on observer of every stream (issue 18): publishes each moment on its `node:diagnostics_channel`
 * channel ({@link DiagnosticsChannel}), building a message only when the channel has subscribers, so a
 * stream nobody watches pays one property read per moment. It never throws: `publish` catches a
 * subscriber's throw itself (Node reports it as an uncaught exception on the next tick).
 */
export class DiagnosticsObserver implements StreamObserver {
  readonly wantsAckLatency = false;
  /** Each ingest call may be published (`zerobus:stream:accept`), whenever a subscriber comes. */
  readonly wantsAccepted = true;
  readonly #table: string;
  readonly #backend: string;
  #streamId: string | undefined;
  /** The attempt in progress (attempts of one stream never overlap): its end names it too. */
  #attempt = 0;

  constructor(stream: ObservedStream) {
    this.#table = stream.table;
    this.#backend = stream.backend;
  }

  openStarted(): void {
    if (openChannel.hasSubscribers) openChannel.publish({ ...this.#fields(), phase: "start" });
  }

  openEnded(result: { streamId: string } | { error: ZerobusError }): void {
    if (!openChannel.hasSubscribers) return;
    openChannel.publish({
      ...this.#fields(),
      phase: "end",
      ...("error" in result ? { error: result.error } : {}),
    });
  }

  attemptStarted(reason: HeadersReason, attempt: number): void {
    this.#attempt = attempt;
    if (!attemptChannel.hasSubscribers) return;
    attemptChannel.publish({ ...this.#fields(), phase: "start", reason, attempt });
  }

  attemptEnded(reason: HeadersReason, result: { streamId: string } | { error: ZerobusError }): void {
    if ("streamId" in result) this.#streamId = result.streamId;
    if (!attemptChannel.hasSubscribers) return;
    const error = "error" in result ? { error: result.error } : {};
    attemptChannel.publish({ ...this.#fields(), phase: "end", reason, attempt: this.#attempt, ...error });
  }

  headersFetched(reason: HeadersReason, durationMs: number, error?: ZerobusError): void {
    if (!headersChannel.hasSubscribers) return;
    headersChannel.publish({ ...this.#fields(), reason, durationMs, ...(error ? { error } : {}) });
  }

  recoveryStarted(cause: ZerobusError | undefined): void {
    if (!recoveryChannel.hasSubscribers) return;
    recoveryChannel.publish({ ...this.#fields(), phase: "start", ...(cause ? { cause } : {}) });
  }

  recoveryEnded(outcome: RecoveryOutcome, error?: ZerobusError): void {
    if (!recoveryChannel.hasSubscribers) return;
    recoveryChannel.publish({ ...this.#fields(), phase: "end", outcome, ...(error ? { error } : {}) });
  }

  closeSignal(durationMs: number): void {
    if (closeSignalChannel.hasSubscribers) closeSignalChannel.publish({ ...this.#fields(), durationMs });
  }

  attachStats(): void {}

  accepted(records: number, bytes: number): void {
    if (acceptChannel.hasSubscribers) acceptChannel.publish({ ...this.#fields(), records, bytes });
  }

  refused(error: ZerobusError): void {
    if (refusedChannel.hasSubscribers) refusedChannel.publish({ ...this.#fields(), error });
  }

  acknowledged(upTo: bigint, records: number, bytes: number): void {
    if (ackChannel.hasSubscribers) ackChannel.publish({ ...this.#fields(), upTo, records, bytes });
  }

  resent(records: number, bytes: number): void {
    if (resendChannel.hasSubscribers) resendChannel.publish({ ...this.#fields(), records, bytes });
  }

  stateChanged(state: StreamState, reason?: ZerobusError): void {
    if (!stateChannel.hasSubscribers) return;
    stateChannel.publish({ ...this.#fields(), state, ...(reason ? { reason } : {}) });
  }

  flushStarted(call: number): void {
    if (flushChannel.hasSubscribers) flushChannel.publish({ ...this.#fields(), call, phase: "start" });
  }

  flushEnded(error: ZerobusError | undefined, call: number): void {
    if (!flushChannel.hasSubscribers) return;
    flushChannel.publish({ ...this.#fields(), call, phase: "end", ...(error ? { error } : {}) });
  }

  closeStarted(): void {
    if (closeChannel.hasSubscribers) closeChannel.publish({ ...this.#fields(), phase: "start" });
  }

  closeEnded(error?: ZerobusError): void {
    if (!closeChannel.hasSubscribers) return;
    closeChannel.publish({ ...this.#fields(), phase: "end", ...(error ? { error } : {}) });
  }

  failed(error: ZerobusError): void {
    if (errorChannel.hasSubscribers) errorChannel.publish({ ...this.#fields(), error });
  }

  #fields(): { table: string; backend: string; streamId: string | undefined } {
    return { table: this.#table, backend: this.#backend, streamId: this.#streamId };
  }
}

/** The factory of {@link DiagnosticsObserver}s (a {@link StreamObserverFactory}). */
export function diagnosticsObserver(stream: ObservedStream): StreamObserver {
  return new DiagnosticsObserver(stream);
}
