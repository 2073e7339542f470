import type { Attributes, Context, Span, SpanContext, Tracer } from "@opentelemetry/api";
import type { HeadersReason } from "../../../headers.js";
import type { ZerobusError } from "../../../zerobus-error.js";
import type { RecoveryOutcome } from "../stream-observer.js";
import {
  ATTR_CONNECTION_ATTEMPT,
  ATTR_CONNECTION_OUTCOME,
  ATTR_CONNECTION_REASON,
  ATTR_ERROR_TYPE,
  ATTR_RECORDS_RESENT,
  ATTR_RECOVERY_CAUSE,
  ATTR_RECOVERY_OUTCOME,
  ATTR_STREAM_ID,
} from "./attribute-names.js";
import type { OtelApi } from "./otel-api.js";

/** Span names (README "Observability"). */
export const SPAN_NAMES = {
  createStream: "zerobus.create_stream",
  recovery: "zerobus.recovery",
  flush: "zerobus.flush",
  close: "zerobus.close",
} as const;

/** Event added to the creation or recovery span at the end of each connection attempt. */
export const ATTEMPT_EVENT = "zerobus.connection.attempt";

/**
 * The spans of one stream: its creation (attempts as events), each recovery episode (a root span linked to
 * the creation: the user's context when a connection breaks has nothing to do with it), and each `flush`
 * and `close` (children of the caller's active span, captured when they start: the observer is called
 * synchronously in the caller's async context).
 */
export class StreamSpans {
  readonly #api: OtelApi;
  readonly #tracer: Tracer;
  readonly #attributes: Attributes;
  #creation: Span | undefined;
  #creationContext: SpanContext | undefined;
  #recovery: Span | undefined;
  /** Where attempt events go: the creation span, then the current recovery's. */
  #attemptsSpan: Span | undefined;
  #attempt = 0;
  /** Open `flush()` spans by call number: flushes may overlap. */
  readonly #flushes = new Map<number, Span>();
  #flushCalls = 0;
  #close: Span | undefined;

  constructor(api: OtelApi, tracer: Tracer, attributes: Attributes) {
    this.#api = api;
    this.#tracer = tracer;
    this.#attributes = attributes;
  }

  openStarted(): void {
    this.#creation = this.#start(SPAN_NAMES.createStream, this.#api.context.active());
    this.#creationContext = this.#creation.spanContext();
    this.#attemptsSpan = this.#creation;
  }

  openEnded(result: { streamId: string } | { error: ZerobusError }): void {
    const span = this.#creation;
    this.#creation = undefined;
    if (this.#attemptsSpan === span) this.#attemptsSpan = undefined;
    if (span === undefined) return;
    if ("streamId" in result) span.setAttribute(ATTR_STREAM_ID, result.streamId);
    this.#end(span, "error" in result ? result.error : undefined);
  }

  attemptStarted(attempt: number): void {
    this.#attempt = attempt;
  }

  attemptEnded(reason: HeadersReason, result: { streamId: string } | { error: ZerobusError }): void {
    const failed = "error" in result;
    this.#attemptsSpan?.addEvent(ATTEMPT_EVENT, {
      [ATTR_CONNECTION_ATTEMPT]: this.#attempt,
      [ATTR_CONNECTION_REASON]: reason,
      [ATTR_CONNECTION_OUTCOME]: failed ? "failed" : "created",
      ...(failed ? { [ATTR_ERROR_TYPE]: result.error.code } : { [ATTR_STREAM_ID]: result.streamId }),
    });
    if (!failed) this.#recovery?.setAttribute(ATTR_STREAM_ID, result.streamId);
  }

  recoveryStarted(cause: ZerobusError | undefined): void {
    // A second start without an end cannot happen in one stream; end the first rather than leak it.
    if (this.#recovery !== undefined) this.recoveryEnded("abandoned");
    const span = this.#tracer.startSpan(SPAN_NAMES.recovery, {
      root: true,
      attributes: { ...this.#attributes, [ATTR_RECOVERY_CAUSE]: cause?.code ?? "close_signal" },
      ...(this.#creationContext ? { links: [{ context: this.#creationContext }] } : {}),
    });
    this.#recovery = span;
    this.#attemptsSpan = span;
  }

  resent(records: number): void {
    this.#recovery?.setAttribute(ATTR_RECORDS_RESENT, records);
  }

  recoveryEnded(outcome: RecoveryOutcome, error?: ZerobusError): void {
    const span = this.#recovery;
    this.#recovery = undefined;
    if (this.#attemptsSpan === span) this.#attemptsSpan = undefined;
    if (span === undefined) return;
    span.setAttribute(ATTR_RECOVERY_OUTCOME, outcome);
    // An abandoned recovery (the stream was closed or aborted meanwhile) is not a failure of its own.
    this.#end(span, outcome === "failed" ? error : undefined, outcome === "failed");
  }

  /** `call` numbers the stream's flushes and pairs each end with its start (none: the oldest). */
  flushStarted(call?: number): void {
    this.#flushCalls = call ?? this.#flushCalls + 1;
    this.#flushes.set(this.#flushCalls, this.#start(SPAN_NAMES.flush, this.#api.context.active()));
  }

  flushEnded(error?: ZerobusError, call?: number): void {
    const key = call ?? this.#flushes.keys().next().value;
    if (key === undefined) return;
    const span = this.#flushes.get(key);
    this.#flushes.delete(key);
    if (span !== undefined) this.#end(span, error);
  }

  closeStarted(): void {
    this.#close ??= this.#start(SPAN_NAMES.close, this.#api.context.active());
  }

  closeEnded(error?: ZerobusError): void {
    const span = this.#close;
    this.#close = undefined;
    if (span !== undefined) this.#end(span, error);
  }

  #start(name: string, parent: Context): Span {
    return this.#tracer.startSpan(
      name,
      { kind: this.#api.SpanKind.INTERNAL, attributes: this.#attributes },
      parent,
    );
  }

  /** Ends `span`, with status ERROR, the error recorded and `error.type` when `error` is given. */
  #end(span: Span, error: ZerobusError | undefined, failed = error !== undefined): void {
    if (failed) {
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR, ...(error ? { message: error.message } : {}) });
      if (error !== undefined) {
        span.setAttribute(ATTR_ERROR_TYPE, error.code);
        span.recordException(error);
      }
    }
    span.end();
  }
}
