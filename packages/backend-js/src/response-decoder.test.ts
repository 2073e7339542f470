import { create, fromBinary, isFieldSet, toBinary } from "@bufbuild/protobuf";
import {
  CreateIngestStreamResponseSchema,
  EphemeralStreamResponseSchema,
  IngestRecordResponseSchema,
} from "@zerobus/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ServerMessage } from "./response-decoder.js";
import { decodeResponse } from "./response-decoder.js";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

function ack(upTo: bigint | undefined): Uint8Array {
  return toBinary(
    EphemeralStreamResponseSchema,
    create(EphemeralStreamResponseSchema, {
      payload: {
        case: "ingestRecordResponse",
        value: upTo === undefined ? {} : { durabilityAckUpToOffset: upTo },
      },
    }),
  );
}

describe("decodeResponse", () => {
  it("decodes the protocol's byte vectors", () => {
    expect(decodeResponse(hex("0a 05 0a 03 61 62 63"))).toEqual({ kind: "created", streamId: "abc" });
    expect(decodeResponse(hex("12 02 08 00"))).toEqual({ kind: "ack", upTo: 0n });
    expect(decodeResponse(hex("12 03 08 ac 02"))).toEqual({ kind: "ack", upTo: 300n });
    expect(decodeResponse(hex("1a 04 0a 02 08 1e"))).toEqual({ kind: "closeSignal", durationMs: 30_000 });
  });

  it.each([
    0n,
    1n,
    127n,
    128n,
    2n ** 31n,
    2n ** 52n,
    2n ** 53n - 1n,
    2n ** 53n + 1n,
    2n ** 56n - 1n,
    2n ** 60n,
    -1n,
  ])("decodes an ack of %s like protobuf-es", (upTo) => {
    expect(decodeResponse(ack(upTo))).toEqual({ kind: "ack", upTo });
  });

  it("reports an ack without offset, an empty create response and a payload-less message", () => {
    expect(decodeResponse(ack(undefined))).toEqual({ kind: "ack", upTo: undefined });
    expect(decodeResponse(hex("0a 00"))).toEqual({ kind: "created", streamId: undefined });
    expect(decodeResponse(new Uint8Array(0))).toMatchObject({ kind: "malformed" });
  });

  it("reports a known field with the wrong wire type as malformed (as prost does), not as a value", () => {
    // durability_ack_up_to_offset with a fixed32 tag (protobuf-es would read the varint after it).
    expect(decodeResponse(hex("12 02 0d 05"))).toMatchObject({ kind: "malformed" });
    expect(decodeResponse(hex("12 05 0d 05 00 00 00"))).toMatchObject({ kind: "malformed" });
    expect(decodeResponse(hex("12 03 0a 01 05"))).toMatchObject({ kind: "malformed" });
    // stream_id as a varint; a close signal's seconds as fixed64.
    expect(decodeResponse(hex("0a 02 08 05"))).toMatchObject({ kind: "malformed" });
    expect(decodeResponse(hex("1a 0b 0a 09 09 1e 00 00 00 00 00 00 00"))).toMatchObject({
      kind: "malformed",
    });
    // Unknown fields of any wire type are still skipped.
    expect(decodeResponse(hex("12 07 08 05 7d 01 02 03 04"))).toEqual({ kind: "ack", upTo: 5n });
  });

  it("never throws on bytes that do not decode", () => {
    expect(decodeResponse(hex("12 05 08"))).toMatchObject({ kind: "malformed" });
    expect(decodeResponse(hex("ff ff ff"))).toMatchObject({ kind: "malformed" });
  });

  it("decodes a close signal's nanoseconds and a missing duration", () => {
    const signal = (duration?: { seconds: bigint; nanos: number }) =>
      toBinary(
        EphemeralStreamResponseSchema,
        create(EphemeralStreamResponseSchema, {
          payload: { case: "closeStreamSignal", value: duration === undefined ? {} : { duration } },
        }),
      );
    expect(decodeResponse(signal({ seconds: 1n, nanos: 500_000_000 }))).toEqual({
      kind: "closeSignal",
      durationMs: 1500,
    });
    expect(decodeResponse(signal())).toEqual({ kind: "closeSignal", durationMs: 0 });
  });

  it("decodes any message as protobuf-es's fromBinary does: merged, repeated, unknown fields, broken bytes", () => {
    // Messages built from fields in any order and number, some repeated, with unknown fields between.
    const varint = (n: bigint) => {
      const out: number[] = [];
      let v = BigInt.asUintN(64, n);
      do {
        const byte = Number(v & 0x7fn);
        v >>= 7n;
        out.push(v === 0n ? byte : byte | 0x80);
      } while (v !== 0n);
      return out;
    };
    const field = (no: number, body: number[]) => [(no << 3) | 2, ...varint(BigInt(body.length)), ...body];
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    const unknown = fc.constantFrom([0x28, 0x07], [0x35, 1, 2, 3, 4], [0x7a, 0x01, 0x41]);
    const inner = fc.oneof(
      fc.tuple(fc.constant(1), fc.string({ maxLength: 8 })).map(([no, s]) => field(no, [...Buffer.from(s)])),
      int64.map((n) => [0x08, ...varint(n)]),
      fc
        .tuple(int64, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }))
        .map(([seconds, nanos]) => field(1, [0x08, ...varint(seconds), 0x10, ...varint(BigInt(nanos))])),
      unknown,
    );
    const top = fc.oneof(
      fc
        .tuple(fc.constantFrom(1, 2, 3), fc.array(inner, { maxLength: 3 }))
        .map(([no, parts]) => field(no, parts.flat())),
      unknown,
    );
    const message = fc.oneof(
      { weight: 9, arbitrary: fc.array(top, { maxLength: 4 }).map((parts) => new Uint8Array(parts.flat())) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
    );
    fc.assert(
      fc.property(message, (bytes) => {
        expect(decodeResponse(bytes)).toEqual(withProtobufEs(bytes));
      }),
      { numRuns: 2_000 },
    );
  });
});

/**
 * The reference: the same decision taken on protobuf-es's `fromBinary` of the generated schema. A message
 * `decodeResponse` refused is refused here too when its wire types are wrong (refused before decoding, as
 * prost does) or protobuf-es cannot decode it either; a refusal of anything protobuf-es decodes throws.
 */
function withProtobufEs(bytes: Uint8Array): ServerMessage {
  const ours = decodeResponse(bytes);
  if (ours.kind === "malformed" && !ours.reason.includes("without a payload")) {
    if (ours.reason.includes("wrong wire types")) return ours;
    let decodes = true;
    try {
      fromBinary(EphemeralStreamResponseSchema, bytes);
    } catch {
      decodes = false;
    }
    if (decodes) throw new Error(`refused bytes protobuf-es decodes: ${ours.reason}`);
    return ours;
  }
  const payload = fromBinary(EphemeralStreamResponseSchema, bytes).payload;
  switch (payload.case) {
    case "createStreamResponse":
      return {
        kind: "created",
        streamId: isFieldSet(payload.value, CreateIngestStreamResponseSchema.field.streamId)
          ? payload.value.streamId
          : undefined,
      };
    case "ingestRecordResponse":
      return {
        kind: "ack",
        upTo: isFieldSet(payload.value, IngestRecordResponseSchema.field.durabilityAckUpToOffset)
          ? payload.value.durabilityAckUpToOffset
          : undefined,
      };
    case "closeStreamSignal": {
      const duration = payload.value.duration;
      const ms =
        duration === undefined ? 0 : Number(duration.seconds) * 1000 + Math.floor(duration.nanos / 1e6);
      return { kind: "closeSignal", durationMs: Math.max(0, ms) };
    }
    default:
      return { kind: "malformed", reason: "the server sent a message without a payload" };
  }
}
