import { fromBinary, isFieldSet } from "@bufbuild/protobuf";
import {
  CreateIngestStreamResponseSchema,
  EphemeralStreamResponseSchema,
  IngestRecordResponseSchema,
} from "@zerobus/proto";

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
