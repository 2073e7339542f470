import type { SupportedRecordType, WireRecord } from "@zerobus/core";
import { RecordType } from "@zerobus/core";
import type { WireRequest } from "@zerobus/core/internal";
import { varintLength } from "@zerobus/core/internal";

// Tags of PROTOCOL.md B §1.2 (field number << 3 | wire type 2 or 0).
const TAG_INGEST_RECORD = 0x12; // EphemeralStreamRequest.ingest_record = 2
const TAG_INGEST_BATCH = 0x1a; // EphemeralStreamRequest.ingest_record_batch = 3
const TAG_OFFSET = 0x08; // offset_id = 1, varint
const TAG_PROTO_PAYLOAD = 0x12; // proto_encoded_record / proto_encoded_batch = 2
const TAG_JSON_PAYLOAD = 0x1a; // json_record / json_batch = 3
const TAG_REPEATED_RECORD = 0x0a; // JsonRecordBatch.records / ProtoEncodedRecordBatch.records = 1

/**
 * Encodes ingest requests straight into one buffer: the envelope is a few tags and lengths around the
 * records (PROTOCOL.md B §1.2), so writing it by hand skips building protobuf-es messages on the hot
 * path. Fields come in field-number order and `offset_id` is always present, as prost writes them; the
 * tests check byte equality with protobuf-es, the reference. Record lengths come from the engine
 * (`recordBytes`, measured once at accept), so nothing is measured twice.
 */
export function encodeIngestRequest(request: WireRequest, recordType: SupportedRecordType): Buffer {
  const payloadTag = recordType === RecordType.Json ? TAG_JSON_PAYLOAD : TAG_PROTO_PAYLOAD;
  const records = request.records;
  const lengths = request.recordBytes;
  const offset = request.wireOffset;
  if (!request.batch) {
    const record = records[0] as WireRecord;
    const length = lengths[0] as number;
    const inner = 1 + varintLength(offset) + 1 + varintLength(length) + length;
    const buffer = Buffer.allocUnsafe(1 + varintLength(inner) + inner);
    let position = writeTagLength(buffer, 0, TAG_INGEST_RECORD, inner);
    buffer[position++] = TAG_OFFSET;
    position = writeVarint(buffer, position, offset);
    position = writeTagLength(buffer, position, payloadTag, length);
    writeRecord(buffer, position, record, length);
    return buffer;
  }
  const count = records.length;
  let body = 0;
  for (let i = 0; i < count; i++) {
    const length = lengths[i] as number;
    body += 1 + varintLength(length) + length;
  }
  const inner = 1 + varintLength(offset) + 1 + varintLength(body) + body;
  const buffer = Buffer.allocUnsafe(1 + varintLength(inner) + inner);
  let position = writeTagLength(buffer, 0, TAG_INGEST_BATCH, inner);
  buffer[position++] = TAG_OFFSET;
  position = writeVarint(buffer, position, offset);
  position = writeTagLength(buffer, position, payloadTag, body);
  for (let i = 0; i < count; i++) {
    const length = lengths[i] as number;
    position = writeTagLength(buffer, position, TAG_REPEATED_RECORD, length);
    position = writeRecord(buffer, position, records[i] as WireRecord, length);
  }
  return buffer;
}

/**
 * `Buffer#utf8Write` skips the argument juggling of `Buffer#write` (about twice as fast per short
 * string). It is not in Node's typings, so it is looked up once and `write` is the fallback.
 */
type Utf8Write = (this: Buffer, text: string, offset: number, length: number) => number;
const utf8Write: Utf8Write =
  (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write ??
  function (this: Buffer, text, offset, length) {
    return this.write(text, offset, length, "utf8");
  };

function writeRecord(buffer: Buffer, position: number, record: WireRecord, length: number): number {
  if (typeof record === "string") utf8Write.call(buffer, record, position, length);
  else buffer.set(record, position);
  return position + length;
}

function writeTagLength(buffer: Buffer, position: number, tag: number, length: number): number {
  buffer[position] = tag;
  return writeVarint(buffer, position + 1, length);
}

/** Writes a non-negative integer below 2^53 as a varint; returns the position after it. */
function writeVarint(buffer: Buffer, position: number, value: number): number {
  let rest = value;
  // Division instead of `>>>`: values can pass 32 bits (wire offsets of very long connections).
  while (rest >= 0x80) {
    buffer[position++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  buffer[position] = rest;
  return position + 1;
}
