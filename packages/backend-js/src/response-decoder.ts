import { fromBinary, isFieldSet } from "@bufbuild/protobuf";
import {
  CreateIngestStreamResponseSchema,
  EphemeralStreamResponseSchema,
  IngestRecordResponseSchema,
} from "@zerobus/proto";
import { hasExpectedWireTypes } from "./response-wire-types.js";

/** One server message, reduced to what the connection acts on. */
export type ServerMessage =
  | { readonly kind: "created"; readonly streamId: string | undefined }
  | { readonly kind: "ack"; readonly upTo: bigint | undefined }
  | { readonly kind: "closeSignal"; readonly durationMs: number }
  | { readonly kind: "malformed"; readonly reason: string };

/**
 * Decodes an `EphemeralStreamResponse` with protobuf-es (server messages are few: at most one per request
 * sent). Never throws: bytes that do not decode, or a message without a payload, come back as
 * `malformed`, which the connection treats as a protocol error (PROTOCOL.md B §1.8) rather than letting
 * grpc-js turn a throw into an INTERNAL status of its own.
 */
export function decodeResponse(bytes: Uint8Array): ServerMessage {
  return decodeAck(bytes) ?? decodeWithProtobufEs(bytes);
}

/**
 * The fast path for the message that comes most often: `ingest_record_response` holding only
 * `durability_ack_up_to_offset` (`12 LL 08 <varint>`, PROTOCOL.md B §1.2). Returns `undefined` for
 * anything else (other payloads, other fields, a negative or oversized offset), which then goes through
 * protobuf-es. The tests check both paths agree.
 */
function decodeAck(bytes: Uint8Array): ServerMessage | undefined {
  // Tag, length, offset tag, and a varint of at most 8 bytes (up to 2^56: beyond 2^53 a Number rounds, so
  // those go through protobuf-es, exact).
  if (bytes.length < 4 || bytes.length > 11 || bytes[0] !== 0x12 || bytes[1] !== bytes.length - 2) {
    return undefined;
  }
  if (bytes[2] !== 0x08) return undefined;
  let value = 0;
  let factor = 1;
  for (let position = 3; position < bytes.length; position++) {
    const byte = bytes[position] as number;
    value += (byte & 0x7f) * factor;
    if (byte < 0x80) {
      return position === bytes.length - 1 && position <= 10 && Number.isSafeInteger(value)
        ? { kind: "ack", upTo: BigInt(value) }
        : undefined;
    }
    factor *= 0x80;
  }
  return undefined;
}

function decodeWithProtobufEs(bytes: Uint8Array): ServerMessage {
  if (!hasExpectedWireTypes(bytes)) {
    return { kind: "malformed", reason: "the server sent a message whose fields have the wrong wire types" };
  }
  let message: ReturnType<typeof fromBinary<typeof EphemeralStreamResponseSchema>>;
  try {
    message = fromBinary(EphemeralStreamResponseSchema, bytes);
  } catch (error) {
    return { kind: "malformed", reason: `the server sent bytes that do not decode: ${String(error)}` };
  }
  const payload = message.payload;
  switch (payload.case) {
    case "createStreamResponse": {
      const created = payload.value;
      const present = isFieldSet(created, CreateIngestStreamResponseSchema.field.streamId);
      return { kind: "created", streamId: present ? created.streamId : undefined };
    }
    case "ingestRecordResponse": {
      const ack = payload.value;
      const present = isFieldSet(ack, IngestRecordResponseSchema.field.durabilityAckUpToOffset);
      return { kind: "ack", upTo: present ? ack.durabilityAckUpToOffset : undefined };
    }
    case "closeStreamSignal": {
      const duration = payload.value.duration;
      // A missing duration means 0 (PROTOCOL.md B §1.6); a negative one is treated the same way.
      const ms =
        duration === undefined ? 0 : Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1e6);
      return { kind: "closeSignal", durationMs: Math.max(0, ms) };
    }
    default:
      return { kind: "malformed", reason: "the server sent a message without a payload" };
  }
}
