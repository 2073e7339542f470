import { create, toBinary } from "@bufbuild/protobuf";
import { EphemeralStreamResponseSchema } from "@zerobus/proto";
import { describe, expect, it } from "vitest";
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
});
