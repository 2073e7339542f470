import type { DescMessage, MessageInitShape, MessageShape } from "@bufbuild/protobuf";
import { create, equals, fromBinary, isFieldSet, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  type CloseStreamSignalSchema,
  CreateIngestStreamRequestSchema,
  EphemeralStreamRequestSchema,
  EphemeralStreamResponseSchema,
  IngestRecordBatchRequestSchema,
  IngestRecordRequestSchema,
  IngestRecordResponseSchema,
  RecordType,
} from "./index.js";

// Byte-exact vectors of the envelope. The bytes are written out by hand (PROTOCOL.md B §1.2 gives the
// first ones; the others follow the same rules) so that a change in the generator, the runtime or the
// .proto that alters what goes on the wire fails here, not against a real server.

/** `"0a 12 0a"` → bytes. */
function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "");
  return Uint8Array.from(digits.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/** Bytes → `"0a 12 0a"`, so a mismatch shows as a readable diff. */
function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join(" ");
}

/** One envelope: the message, its exact encoding, and what must hold after decoding it. */
interface Vector<Desc extends DescMessage> {
  name: string;
  init: MessageInitShape<Desc>;
  bytes: string;
  check: (decoded: MessageShape<Desc>) => void;
}

/** Encodes and decodes every vector of one schema. */
function vectorSuite<Desc extends DescMessage>(schema: Desc, vectors: Vector<Desc>[]): void {
  describe.each(vectors)("$name", ({ init, bytes, check }) => {
    it("encodes to exactly these bytes", () => {
      expect(toHex(toBinary(schema, create(schema, init)))).toBe(toHex(hex(bytes)));
    });

    it("decodes back to the same message", () => {
      const decoded = fromBinary(schema, hex(bytes));
      expect(equals(schema, decoded, create(schema, init))).toBe(true);
      check(decoded);
    });
  });
}

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("EphemeralStreamRequest", () => {
  vectorSuite(EphemeralStreamRequestSchema, [
    {
      name: "create JSON stream main.default.t",
      init: {
        payload: {
          case: "createStream",
          value: { tableName: "main.default.t", recordType: RecordType.JSON },
        },
      },
      // 0a 12: field 1 (create_stream), 18 bytes; 0a 0e "main.default.t"; 20 02: record_type = JSON
      bytes: "0a 12 0a 0e 6d 61 69 6e 2e 64 65 66 61 75 6c 74 2e 74 20 02",
      check: (decoded) => {
        expect(decoded.payload.case).toBe("createStream");
        const create = decoded.payload.value as MessageShape<typeof CreateIngestStreamRequestSchema>;
        expect(create.tableName).toBe("main.default.t");
        expect(create.recordType).toBe(RecordType.JSON);
        expect(isFieldSet(create, CreateIngestStreamRequestSchema.field.descriptorProto)).toBe(false);
      },
    },
    {
      name: "create PROTO stream c.s.t with a descriptor",
      init: {
        payload: {
          case: "createStream",
          value: { tableName: "c.s.t", descriptorProto: hex("0a 01 4d"), recordType: RecordType.PROTO },
        },
      },
      // 1a 03: descriptor_proto, the DescriptorProto {name: "M"}; 20 01: record_type = PROTO
      bytes: "0a 0e 0a 05 63 2e 73 2e 74 1a 03 0a 01 4d 20 01",
      check: (decoded) => {
        const create = decoded.payload.value as MessageShape<typeof CreateIngestStreamRequestSchema>;
        expect(create.tableName).toBe("c.s.t");
        expect(toHex(create.descriptorProto)).toBe("0a 01 4d");
        expect(create.recordType).toBe(RecordType.PROTO);
      },
    },
    {
      name: "single JSON record {} at offset 0 (offset_id present although 0)",
      init: {
        payload: {
          case: "ingestRecord",
          value: { offsetId: 0n, record: { case: "jsonRecord", value: "{}" } },
        },
      },
      // 12 06: field 2 (ingest_record); 08 00: offset_id = 0, on the wire (proto2 presence); 1a 02 "{}"
      bytes: "12 06 08 00 1a 02 7b 7d",
      check: (decoded) => {
        const request = decoded.payload.value as MessageShape<typeof IngestRecordRequestSchema>;
        expect(isFieldSet(request, IngestRecordRequestSchema.field.offsetId)).toBe(true);
        expect(request.offsetId).toBe(0n);
        expect(request.record).toEqual({ case: "jsonRecord", value: "{}" });
      },
    },
    {
      name: "single proto record at offset 5",
      init: {
        payload: {
          case: "ingestRecord",
          value: { offsetId: 5n, record: { case: "protoEncodedRecord", value: hex("08 01") } },
        },
      },
      // 08 05: offset_id = 5; 12 02: proto_encoded_record, the bytes 08 01
      bytes: "12 06 08 05 12 02 08 01",
      check: (decoded) => {
        const request = decoded.payload.value as MessageShape<typeof IngestRecordRequestSchema>;
        expect(request.offsetId).toBe(5n);
        expect(request.record.case).toBe("protoEncodedRecord");
        expect(toHex(request.record.value as Uint8Array)).toBe("08 01");
      },
    },
    {
      name: "single JSON record with UTF-8 text at the largest int64 offset",
      init: {
        payload: {
          case: "ingestRecord",
          value: { offsetId: 2n ** 63n - 1n, record: { case: "jsonRecord", value: '{"k":"é"}' } },
        },
      },
      // 08 ff…7f: 2^63 − 1 as a 9-byte varint, kept exact as a bigint; "é" is the UTF-8 pair c3 a9
      bytes: "12 16 08 ff ff ff ff ff ff ff ff 7f 1a 0a 7b 22 6b 22 3a 22 c3 a9 22 7d",
      check: (decoded) => {
        const request = decoded.payload.value as MessageShape<typeof IngestRecordRequestSchema>;
        expect(request.offsetId).toBe(9_223_372_036_854_775_807n);
        expect(request.record.value).toBe('{"k":"é"}');
      },
    },
    {
      name: "JSON batch of two records at offset 1",
      init: {
        payload: {
          case: "ingestRecordBatch",
          value: { offsetId: 1n, batch: { case: "jsonBatch", value: { records: ["{}", "{}"] } } },
        },
      },
      // 1a 0c: field 3 (ingest_record_batch); 08 01: offset_id; 1a 08: json_batch; 0a 02 "{}" per record
      bytes: "1a 0c 08 01 1a 08 0a 02 7b 7d 0a 02 7b 7d",
      check: (decoded) => {
        const request = decoded.payload.value as MessageShape<typeof IngestRecordBatchRequestSchema>;
        expect(request.offsetId).toBe(1n);
        expect(request.batch.case).toBe("jsonBatch");
        expect(request.batch.value?.records).toEqual(["{}", "{}"]);
      },
    },
    {
      name: "proto batch of three records (one empty) at offset 0",
      init: {
        payload: {
          case: "ingestRecordBatch",
          value: {
            offsetId: 0n,
            batch: {
              case: "protoEncodedBatch",
              value: { records: [hex("08 01"), hex("08 02 10 03"), new Uint8Array()] },
            },
          },
        },
      },
      // 08 00: offset_id = 0, present; 12 0c: proto_encoded_batch; one 0a <len> per record, the empty
      // record included (0a 00): repeated bytes are never packed and never dropped
      bytes: "1a 10 08 00 12 0c 0a 02 08 01 0a 04 08 02 10 03 0a 00",
      check: (decoded) => {
        const request = decoded.payload.value as MessageShape<typeof IngestRecordBatchRequestSchema>;
        expect(isFieldSet(request, IngestRecordBatchRequestSchema.field.offsetId)).toBe(true);
        expect(request.offsetId).toBe(0n);
        expect(request.batch.case).toBe("protoEncodedBatch");
        const records = request.batch.case === "protoEncodedBatch" ? request.batch.value.records : [];
        expect(records.map(toHex)).toEqual(["08 01", "08 02 10 03", ""]);
      },
    },
  ]);

  it("tells a missing offset_id apart from offset_id = 0 when decoding", () => {
    // A strict server (and our mock) must be able to refuse a record without an offset.
    const request = fromBinary(EphemeralStreamRequestSchema, hex("12 04 1a 02 7b 7d"));
    const record = request.payload.value as MessageShape<typeof IngestRecordRequestSchema>;
    expect(isFieldSet(record, IngestRecordRequestSchema.field.offsetId)).toBe(false);
    expect(record.record).toEqual({ case: "jsonRecord", value: "{}" });
  });
});

describe("EphemeralStreamResponse", () => {
  vectorSuite(EphemeralStreamResponseSchema, [
    {
      name: "create response with stream id abc",
      init: { payload: { case: "createStreamResponse", value: { streamId: "abc" } } },
      bytes: "0a 05 0a 03 61 62 63",
      check: (decoded) => {
        expect(decoded.payload.case).toBe("createStreamResponse");
        expect(decoded.payload.value).toMatchObject({ streamId: "abc" });
      },
    },
    {
      name: "ack up to offset 0 (present although 0)",
      init: { payload: { case: "ingestRecordResponse", value: { durabilityAckUpToOffset: 0n } } },
      // 12 02: field 2 (ingest_record_response); 08 00: durability_ack_up_to_offset = 0, on the wire
      bytes: "12 02 08 00",
      check: (decoded) => {
        const ack = decoded.payload.value as MessageShape<typeof IngestRecordResponseSchema>;
        expect(isFieldSet(ack, IngestRecordResponseSchema.field.durabilityAckUpToOffset)).toBe(true);
        expect(ack.durabilityAckUpToOffset).toBe(0n);
      },
    },
    {
      name: "ack up to offset 300",
      init: { payload: { case: "ingestRecordResponse", value: { durabilityAckUpToOffset: 300n } } },
      // 300 = 0b10_0101100 → varint ac 02
      bytes: "12 03 08 ac 02",
      check: (decoded) => {
        const ack = decoded.payload.value as MessageShape<typeof IngestRecordResponseSchema>;
        expect(ack.durabilityAckUpToOffset).toBe(300n);
      },
    },
    {
      name: "close signal after 30 s",
      init: { payload: { case: "closeStreamSignal", value: { duration: { seconds: 30n } } } },
      // 1a 04: field 3 (close_stream_signal); 0a 02: duration; 08 1e: seconds = 30
      bytes: "1a 04 0a 02 08 1e",
      check: (decoded) => {
        const signal = decoded.payload.value as MessageShape<typeof CloseStreamSignalSchema>;
        expect(signal.duration?.seconds).toBe(30n);
        expect(signal.duration?.nanos).toBe(0);
      },
    },
    {
      name: "close signal after 30.5 s (seconds and nanos)",
      init: {
        payload: {
          case: "closeStreamSignal",
          value: { duration: { seconds: 30n, nanos: 500_000_000 } },
        },
      },
      // 10 80 ca b5 ee 01: nanos = 500,000,000 (0x1dcd6500) as a 5-byte varint
      bytes: "1a 0a 0a 08 08 1e 10 80 ca b5 ee 01",
      check: (decoded) => {
        const signal = decoded.payload.value as MessageShape<typeof CloseStreamSignalSchema>;
        expect(signal.duration?.seconds).toBe(30n);
        expect(signal.duration?.nanos).toBe(500_000_000);
      },
    },
  ]);

  it("tells an ack without its offset apart from an ack of offset 0 when decoding", () => {
    // The reference client treats an ack without durability_ack_up_to_offset as a protocol error (B §1.8).
    const response = fromBinary(EphemeralStreamResponseSchema, hex("12 00"));
    expect(response.payload.case).toBe("ingestRecordResponse");
    const ack = response.payload.value as MessageShape<typeof IngestRecordResponseSchema>;
    expect(isFieldSet(ack, IngestRecordResponseSchema.field.durabilityAckUpToOffset)).toBe(false);
  });
});

describe("hex helpers", () => {
  it("round-trip bytes, so the vectors above compare what they claim to", () => {
    expect(toHex(hex("00 7f 80 ff"))).toBe("00 7f 80 ff");
    expect(toHex(utf8("é"))).toBe("c3 a9");
  });
});
