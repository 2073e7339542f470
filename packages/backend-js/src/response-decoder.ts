import { BinaryReader } from "@bufbuild/protobuf/wire";
import { hasExpectedWireTypes } from "./response-wire-types.js";

/** One server message, reduced to what the connection acts on. */
export type ServerMessage =
  | { readonly kind: "created"; readonly streamId: string | undefined }
  | { readonly kind: "ack"; readonly upTo: bigint | undefined }
  | { readonly kind: "closeSignal"; readonly durationMs: number }
  | { readonly kind: "malformed"; readonly reason: string };

/**
 * Decodes an `EphemeralStreamResponse` (server messages are few: at most one per request sent). Never
 * throws: bytes that do not decode, or a message without a payload, come back as
 * `malformed`, which the connection treats as a protocol error (PROTOCOL.md B §1.8) rather than letting
 * grpc-js turn a throw into an INTERNAL status of its own.
 */
export function decodeResponse(bytes: Uint8Array): ServerMessage {
  return decodeAck(bytes) ?? decodeFields(bytes);
}

/**
 * The fast path for the message that comes most often: `ingest_record_response` holding only
 * `durability_ack_up_to_offset` (`12 LL 08 <varint>`, PROTOCOL.md B §1.2). Returns `undefined` for
 * anything else (other payloads, other fields, a negative or oversized offset), which then goes through
 * the general decoder. The tests check both paths agree.
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

/** The payload of an `EphemeralStreamResponse` as read so far (a oneof: the last case on the wire wins). */
type Payload =
  | { case: "created"; streamId: string | undefined }
  | { case: "ack"; upTo: bigint | undefined }
  | { case: "closeSignal"; seconds: bigint; nanos: number }
  | undefined;

/**
 * Decodes any server message with protobuf-es's wire reader, as its `fromBinary` would: the last field of
 * the payload oneof wins, a repeated one merges into the same case, scalars keep their last value, unknown
 * fields are skipped. Known fields with the wrong wire type were refused before (`hasExpectedWireTypes`).
 */
function decodeFields(bytes: Uint8Array): ServerMessage {
  if (!hasExpectedWireTypes(bytes)) {
    return { kind: "malformed", reason: "the server sent a message whose fields have the wrong wire types" };
  }
  let payload: Payload;
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < bytes.length) {
      const [field, wireType] = reader.tag();
      if (field < 1 || field > 3) {
        reader.skip(wireType, field);
        continue;
      }
      const end = reader.uint32() + reader.pos;
      payload = readPayload(reader, end, field, payload);
    }
  } catch (error) {
    return { kind: "malformed", reason: `the server sent bytes that do not decode: ${String(error)}` };
  }
  switch (payload?.case) {
    case "created":
      return { kind: "created", streamId: payload.streamId };
    case "ack":
      return { kind: "ack", upTo: payload.upTo };
    case "closeSignal": {
      // A missing duration means 0 (PROTOCOL.md B §1.6); a negative one is treated the same way.
      const ms = Number(payload.seconds) * 1000 + Math.floor(payload.nanos / 1e6);
      return { kind: "closeSignal", durationMs: Math.max(0, ms) };
    }
    default:
      return { kind: "malformed", reason: "the server sent a message without a payload" };
  }
}

/** Reads one payload field (1 created, 2 ack, 3 close signal) up to `end`, merged into `previous` of its case. */
function readPayload(reader: BinaryReader, end: number, field: number, previous: Payload): Payload {
  if (field === 1) {
    let streamId = previous?.case === "created" ? previous.streamId : undefined;
    while (reader.pos < end) {
      const [inner, wireType] = reader.tag();
      if (inner === 1) streamId = reader.string();
      else reader.skip(wireType, inner);
    }
    return { case: "created", streamId };
  }
  if (field === 2) {
    let upTo = previous?.case === "ack" ? previous.upTo : undefined;
    while (reader.pos < end) {
      const [inner, wireType] = reader.tag();
      if (inner === 1) upTo = BigInt(reader.int64());
      else reader.skip(wireType, inner);
    }
    return { case: "ack", upTo };
  }
  let { seconds, nanos } = previous?.case === "closeSignal" ? previous : { seconds: 0n, nanos: 0 };
  while (reader.pos < end) {
    const [inner, wireType] = reader.tag();
    if (inner !== 1) {
      reader.skip(wireType, inner);
      continue;
    }
    const durationEnd = reader.uint32() + reader.pos;
    while (reader.pos < durationEnd) {
      const [durationField, durationWireType] = reader.tag();
      if (durationField === 1) seconds = BigInt(reader.int64());
      else if (durationField === 2) nanos = reader.int32();
      else reader.skip(durationWireType, durationField);
    }
  }
  return { case: "closeSignal", seconds, nanos };
}
