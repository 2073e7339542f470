import { create, toBinary } from "@bufbuild/protobuf";
import type { WireRecord, WireRequest } from "@zerobus/core";
import { RecordType } from "@zerobus/core";
import { EphemeralStreamRequestSchema, EPHEMERAL_STREAM_PATH as PROTO_PATH } from "@zerobus/proto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeCreateRequest } from "./create-request.js";
import { encodeIngestRequest } from "./request-encoder.js";
import { EPHEMERAL_STREAM_PATH } from "./wire-path.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function request(wireOffset: number, batch: boolean, records: WireRecord[]): WireRequest {
  const recordBytes = records.map((record) =>
    typeof record === "string" ? Buffer.byteLength(record) : record.byteLength,
  );
  return { wireOffset, batch, records, recordBytes, payloadBytes: 0, firstOffset: 0n, lastOffset: 0n };
}

/** The reference encoding of the same request with protobuf-es. */
function reference(wireOffset: number, batch: boolean, records: WireRecord[]): Uint8Array {
  const json = typeof records[0] === "string";
  const payload = batch
    ? {
        case: "ingestRecordBatch" as const,
        value: {
          offsetId: BigInt(wireOffset),
          batch: json
            ? { case: "jsonBatch" as const, value: { records: records as string[] } }
            : { case: "protoEncodedBatch" as const, value: { records: records as Uint8Array[] } },
        },
      }
    : {
        case: "ingestRecord" as const,
        value: {
          offsetId: BigInt(wireOffset),
          record: json
            ? { case: "jsonRecord" as const, value: records[0] as string }
            : { case: "protoEncodedRecord" as const, value: records[0] as Uint8Array },
        },
      };
  return toBinary(EphemeralStreamRequestSchema, create(EphemeralStreamRequestSchema, { payload }));
}

describe("encodeIngestRequest", () => {
  it("matches the byte vectors of PROTOCOL.md B §1.2", () => {
    expect(hex(encodeIngestRequest(request(0, false, ["{}"]), RecordType.Json))).toBe("120608001a027b7d");
    expect(hex(encodeIngestRequest(request(5, false, [new Uint8Array([8, 1])]), RecordType.Proto))).toBe(
      "1206080512020801",
    );
    expect(hex(encodeIngestRequest(request(1, true, ["{}", "{}"]), RecordType.Json))).toBe(
      "1a0c08011a080a027b7d0a027b7d",
    );
  });

  const unicode = '{"name":"Zoë ☃ 𝄞"}';
  const long = `{"pad":"${"x".repeat(300)}"}`;
  const cases: [string, number, boolean, WireRecord[]][] = [
    ["single JSON at offset 0", 0, false, ["{}"]],
    ["single JSON with multi-byte UTF-8", 127, false, [unicode]],
    ["single JSON over 127 bytes at offset 128", 128, false, [long]],
    ["single proto, empty", 300, false, [new Uint8Array(0)]],
    ["single proto at a 5-byte offset", 2 ** 35, false, [new Uint8Array([1, 2, 3])]],
    ["JSON batch", 7, true, ["{}", unicode, long]],
    ["JSON batch of one", 0, true, [unicode]],
    [
      "ASCII JSON batch with 1-, 2- and 3-byte record lengths",
      3,
      true,
      ["{}", long, `{"p":"${"z".repeat(20_000)}"}`],
    ],
    [
      "ASCII JSON batch with control characters and DEL",
      4,
      true,
      ['{"a":"\u0001\t\u007f"}', '{"b":"\u007f"}'],
    ],
    ["proto batch", 2 ** 21, true, [new Uint8Array(200).fill(7), new Uint8Array(0), new Uint8Array([9])]],
    [
      "large JSON batch",
      99,
      true,
      Array.from({ length: 2000 }, (_, i) => `{"i":${i},"s":"${"y".repeat(i % 50)}"}`),
    ],
  ];

  it.each(cases)("is byte-identical to protobuf-es: %s", (_, offset, batch, records) => {
    const recordType = typeof records[0] === "string" ? RecordType.Json : RecordType.Proto;
    expect(hex(encodeIngestRequest(request(offset, batch, records), recordType))).toBe(
      hex(reference(offset, batch, records)),
    );
  });
});

describe("encodeCreateRequest", () => {
  it("writes the bytes protobuf-es writes, for any table name, descriptor and record type", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(RecordType.Json, RecordType.Proto),
        (tableName, descriptor, recordType) => {
          const reference = toBinary(
            EphemeralStreamRequestSchema,
            create(EphemeralStreamRequestSchema, {
              payload: {
                case: "createStream",
                value: {
                  tableName,
                  recordType,
                  ...(recordType === RecordType.Proto ? { descriptorProto: descriptor } : {}),
                },
              },
            }),
          );
          expect(hex(encodeCreateRequest({ tableName, descriptorProto: descriptor }, recordType))).toBe(
            hex(reference),
          );
        },
      ),
    );
  });

  it("asks for the method path @zerobus/proto names", () => {
    expect(EPHEMERAL_STREAM_PATH).toBe(PROTO_PATH);
  });

  it("matches the byte vectors of PROTOCOL.md B §1.2", () => {
    expect(hex(encodeCreateRequest({ tableName: "main.default.t" }, RecordType.Json))).toBe(
      "0a120a0e6d61696e2e64656661756c742e742002",
    );
    expect(
      hex(
        encodeCreateRequest(
          { tableName: "c.s.t", descriptorProto: new Uint8Array([0x0a, 0x01, 0x4d]) },
          RecordType.Proto,
        ),
      ),
    ).toBe("0a0e0a05632e732e741a030a014d2001");
  });

  it("leaves the descriptor out of a JSON stream's request", () => {
    expect(
      hex(
        encodeCreateRequest(
          { tableName: "main.default.t", descriptorProto: new Uint8Array([1]) },
          RecordType.Json,
        ),
      ),
    ).toBe("0a120a0e6d61696e2e64656661756c742e742002");
  });
});
