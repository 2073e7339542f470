import type { EphemeralStreamResponse } from "@zerobus/proto";
import type { StatusSpec } from "../status.js";
import type { AckPolicy } from "./ack-policy.js";

/**
 * When a stream step runs. Counts start when the step becomes the current one on a connection (at the create
 * response, or when the step before it ran on that connection), and only requests that passed the checks
 * count. A count is reached by the request during which it gets to N, whether that request is one record
 * or a batch. With several conditions, all must hold. Without a trigger an `after` step runs at once and
 * an `at` step on the next request.
 */
export interface StepTrigger {
  /** This many more records arrived (a batch counts each of its records). */
  records?: number;
  /** This many more requests arrived (a batch counts once). */
  requests?: number;
  /**
   * This many more request bytes arrived: the size of each encoded `EphemeralStreamRequest` message as the
   * server decoded it (no 5-byte gRPC frame prefix; uncompressed), the create request excluded.
   */
  bytes?: number;
  /** This many milliseconds passed. */
  ms?: number;
}

/** Accept the next create (optionally slowly, or with a chosen stream id). */
export interface CreateStep {
  create: { streamId?: string; delayMs?: number };
}

/** End the next create with a status instead of a create response. */
export interface FailCreateStep {
  failCreate: StatusSpec;
  delayMs?: number;
}

/**
 * Accept the next create, then end the stream at once (UNAVAILABLE unless `status` says otherwise): a server
 * that accepts and drops, so clients can be tested for reconnect storms.
 */
export interface AcceptThenDropStep {
  acceptThenDrop: true | { status?: StatusSpec; streamId?: string };
}

/** Steps consumed by the next create on the table (the create phase). */
export type CreateScriptStep = CreateStep | FailCreateStep | AcceptThenDropStep;

/**
 * End the live stream with any status (OK included). `after`: once the request that completes the trigger
 * was recorded and acknowledged (per the ack policy), so the client has nothing to re-send. `at` (instead of
 * `after`): on the request that completes the trigger, before acknowledging it, as a server or load balancer
 * that cuts connections after so many bytes would; that request is recorded `uncommitted` and its records
 * are not counted as received by the table, so the client must re-send them.
 */
export interface FailStep {
  fail: StatusSpec;
  after?: StepTrigger;
  at?: StepTrigger;
}

/** End the live stream cleanly, with status OK (`after` and `at` as for {@link FailStep}). */
export interface EndStep {
  end: true;
  after?: StepTrigger;
  at?: StepTrigger;
}

/**
 * Destroy the transport connection under the stream (every stream on that HTTP/2 connection ends); `after`
 * and `at` as for {@link FailStep}.
 */
export interface DropStep {
  drop: true;
  after?: StepTrigger;
  at?: StepTrigger;
}

/**
 * Send `close_stream_signal{duration}`; then, unless `thenEnd` is `false`, end the stream when the duration
 * has passed (OK unless `thenEnd` gives a status), as a server shutting down would.
 */
export interface CloseSignalStep {
  closeSignal: { seconds?: number | bigint; nanos?: number; thenEnd?: StatusSpec | false };
  after?: StepTrigger;
}

/** Change the table's ack policy (or the connection's, in a connection-scoped script) from here on. */
export interface AckStep {
  ack: AckPolicy;
}

/** Malformed: an ack one below the last ack sent on the connection. */
export interface LowerAckStep {
  lowerAck: true;
  after?: StepTrigger;
}

/** Malformed: an ack `by` (default 1) beyond the highest wire offset received on the connection. */
export interface AckBeyondSentStep {
  ackBeyondSent: true | { by: number };
  after?: StepTrigger;
}

/** Malformed: an `ingest_record_response` without `durability_ack_up_to_offset`. */
export interface AckWithoutOffsetStep {
  ackWithoutOffset: true;
  after?: StepTrigger;
}

/** Malformed: a second `create_stream_response` on a stream that is already created. */
export interface SecondCreateResponseStep {
  secondCreateResponse: true | { streamId: string };
  after?: StepTrigger;
}

/** Malformed: a response whose only field is one the protocol does not define (no known payload). */
export interface UnknownPayloadStep {
  unknownPayload: true;
  after?: StepTrigger;
}

/** Send any response, or raw bytes as the response message: for cases no other step covers. */
export interface SendStep {
  send: EphemeralStreamResponse | Uint8Array;
  after?: StepTrigger;
}

/** Steps that run on a live, created stream (the stream phase). */
export type StreamScriptStep =
  | FailStep
  | EndStep
  | DropStep
  | CloseSignalStep
  | LowerAckStep
  | AckBeyondSentStep
  | AckWithoutOffsetStep
  | SecondCreateResponseStep
  | UnknownPayloadStep
  | SendStep;

/**
 * One step of a script. The cursor moves forward only; each step runs when its moment comes and the steps
 * after it wait:
 * - create steps are consumed by the next create on the table (a create meeting any other step is accepted
 *   with defaults and the step stays for the live stream);
 * - stream steps run on a live stream when their `after` trigger holds, or (`at`) on the request that
 *   completes their trigger; one whose stream ends first stays current for the next connection;
 * - `ack` steps apply as soon as the cursor reaches them.
 */
export type ScriptStep = CreateScriptStep | StreamScriptStep | AckStep;

/** Options of `server.script`. */
export interface ScriptOptions {
  /**
   * `"table"` (default): one cursor for the table that survives reconnects. `"connection"`: every new
   * connection runs the script from its first step (for example an accept-then-drop on every attempt).
   */
  scope?: "table" | "connection";
}

/** Whether a step is consumed by a create. */
export function isCreateStep(step: ScriptStep): step is CreateScriptStep {
  return "create" in step || "failCreate" in step || "acceptThenDrop" in step;
}

/** Whether a step ends the stream (and so may use an `at` trigger). */
export function isEndingStep(step: ScriptStep): step is FailStep | EndStep | DropStep {
  return "fail" in step || "end" in step || "drop" in step;
}

/** Whether a step only changes the ack policy. */
export function isAckStep(step: ScriptStep): step is AckStep {
  return "ack" in step;
}
