import { create, toBinary } from "@bufbuild/protobuf";
import { DurationSchema, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { RecordType } from "@zerobus/core";
import { describe, expect, it } from "vitest";
import type { MessageEncoder } from "./record-encoder.js";
import { recordEncoder } from "./record-encoder.js";

const json = recordEncoder(RecordType.Json);
const protoBytesOnly = recordEncoder(RecordType.Proto);
const protoMessages = recordEncoder(RecordType.Proto, TimestampSchema, toBinary as MessageEncoder);

describe("JSON records", () => {
  it("sends strings as they are and serialises objects", () => {
    expect(json('{"a":1}')).toBe('{"a":1}');
    expect(json({ a: 1, b: "x" })).toBe('{"a":1,"b":"x"}');
  });

  it.each([
    [[1, 2], /got an array/],
    [new Uint8Array(1), /got a Uint8Array/],
    [null, /got null/],
    [7, /got a number/],
    [true, /got a boolean/],
    [{ n: 1n }, /could not be serialised/],
    [create(TimestampSchema), /does not take protobuf messages.*google.protobuf.Timestamp/],
    [
      undefined,
      /^\[invalid_argument\] a record must be a JSON object \(as text or an object\) on a JSON stream; got undefined$/,
    ],
    [1n, /; got a bigint$/],
    [new Int8Array(1), /; got an Int8Array$/],
    [new Map(), /; got a Map$/],
    [{ toJSON: () => [1] }, /does not serialise to a JSON object/],
    [new Date(0), /does not serialise to a JSON object/],
  ])("refuses %o with invalid_argument", (record, message) => {
    expect(() => json(record)).toThrow(message);
    try {
      json(record);
    } catch (error) {
      expect(error).toMatchObject({ code: "invalid_argument", retryable: false });
    }
  });
});

describe("Proto records", () => {
  it("sends bytes (and Buffers) as they are", () => {
    const bytes = new Uint8Array([8, 1]);
    expect(protoBytesOnly(bytes)).toBe(bytes);
    const buffer = Buffer.from([8, 2]);
    expect(protoBytesOnly(buffer)).toBe(buffer);
  });

  it("encodes messages of the stream's type", () => {
    const message = create(TimestampSchema, { seconds: 5n, nanos: 7 });
    expect(protoMessages(message)).toEqual(toBinary(TimestampSchema, message));
  });

  it("refuses messages of another type, naming both", () => {
    expect(() => protoMessages(create(DurationSchema))).toThrow(
      /takes google.protobuf.Timestamp messages, got a google.protobuf.Duration/,
    );
  });

  it("refuses messages on a stream created with descriptor bytes", () => {
    expect(() => protoBytesOnly(create(TimestampSchema))).toThrow(/created with descriptor bytes/);
  });

  it.each([["{}"], [{ a: 1 }], [[1]], [null]])("refuses %o", (record) => {
    expect(() => protoMessages(record)).toThrow(/\[invalid_argument\] a record must be encoded bytes/);
  });

  it.each([
    [undefined, "got undefined"],
    [null, "got null"],
    [[1], "got an array"],
    [{ a: 1 }, "got an object"],
    [7, "got a number"],
    [new Int8Array(1), "got an Int8Array"],
  ])("says what it got instead of bytes: %o", (record, got) => {
    expect(() => protoMessages(record)).toThrow(
      new RegExp(
        `^\\[invalid_argument\\] a record must be encoded bytes \\(Uint8Array\\) or a protobuf-es message on a Proto stream; ${got}$`,
      ),
    );
  });
});
