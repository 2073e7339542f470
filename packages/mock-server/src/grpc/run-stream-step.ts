import { create } from "@bufbuild/protobuf";
import { type EphemeralStreamResponse, EphemeralStreamResponseSchema } from "@zerobus/proto";
import type { SentResponse } from "../recording/recorded-types.js";
import type { StreamScriptStep } from "../script/script-step.js";
import { GrpcStatusCode, type ResolvedStatus, resolveStatus } from "../status.js";

/** What a stream step can do to its connection. */
export interface StepTarget {
  send(response: SentResponse): void;
  endWith(status: ResolvedStatus): void;
  drop(): void;
  /** Runs `action` after `ms` unless the connection ends first. */
  later(ms: number, action: () => void): void;
  /** Highest ack the policy sent; -1n before any. */
  readonly lastAck: bigint;
  /** Highest wire offset received; -1n before any. */
  readonly maxOffset: bigint;
  readonly streamId: string;
}

/** A response with an unknown field 15 (tag 0x7a, empty bytes) and no known payload. */
const UNKNOWN_PAYLOAD = new Uint8Array([0x7a, 0x00]);

/** Builds an ack response; `undefined` leaves `durability_ack_up_to_offset` out (a malformed ack). */
export function ackResponse(upTo: bigint | undefined): EphemeralStreamResponse {
  return create(EphemeralStreamResponseSchema, {
    payload: {
      case: "ingestRecordResponse",
      value: upTo === undefined ? {} : { durabilityAckUpToOffset: upTo },
    },
  });
}

/** Builds a create response with `streamId`. */
export function createResponse(streamId: string): EphemeralStreamResponse {
  return create(EphemeralStreamResponseSchema, {
    payload: { case: "createStreamResponse", value: { streamId } },
  });
}

/** Performs one stream-phase script step on a live connection. */
export function runStreamStep(step: StreamScriptStep, target: StepTarget): void {
  if ("fail" in step) {
    target.endWith(resolveStatus(step.fail));
  } else if ("end" in step) {
    target.endWith({ code: GrpcStatusCode.OK, details: "OK" });
  } else if ("drop" in step) {
    target.drop();
  } else if ("closeSignal" in step) {
    const seconds = BigInt(step.closeSignal.seconds ?? 0);
    const nanos = step.closeSignal.nanos ?? 0;
    target.send(
      create(EphemeralStreamResponseSchema, {
        payload: { case: "closeStreamSignal", value: { duration: { seconds, nanos } } },
      }),
    );
    const thenEnd = step.closeSignal.thenEnd;
    if (thenEnd === false) return;
    const status =
      thenEnd === undefined
        ? { code: GrpcStatusCode.OK, details: "stream closed by the server" }
        : resolveStatus(thenEnd);
    target.later(Number(seconds) * 1000 + nanos / 1e6, () => target.endWith(status));
  } else {
    target.send(malformedResponse(step, target));
  }
}

/** The response a sending step puts on the wire. */
function malformedResponse(
  step: Exclude<
    StreamScriptStep,
    { fail: unknown } | { end: unknown } | { drop: unknown } | { closeSignal: unknown }
  >,
  target: StepTarget,
): SentResponse {
  if ("lowerAck" in step) return ackResponse(target.lastAck - 1n);
  if ("ackBeyondSent" in step) {
    const by = step.ackBeyondSent === true ? 1 : step.ackBeyondSent.by;
    return ackResponse(target.maxOffset + BigInt(by));
  }
  if ("ackWithoutOffset" in step) return ackResponse(undefined);
  if ("secondCreateResponse" in step) {
    return createResponse(
      step.secondCreateResponse === true ? target.streamId : step.secondCreateResponse.streamId,
    );
  }
  if ("unknownPayload" in step) return UNKNOWN_PAYLOAD;
  return step.send;
}
