import type { SupportedRecordType, WireRecord, WireRequest } from "@zerobus/core";
import { RecordType } from "@zerobus/core";
import { varintLength } from "@zerobus/core/internal";
import { requestBuffer } from "./request-buffer.js";

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
    const length = lengths[0] as number;
    const { buffer, position } = envelope(TAG_INGEST_RECORD, offset, payloadTag, length);
    writeRecord(buffer, position, records[0] as WireRecord, length);
    return buffer;
  }
  let body = 0;
  for (let i = 0; i < records.length; i++) {
    const length = lengths[i] as number;
    body += 1 + varintLength(length) + length;
  }
  const { buffer, position } = envelope(TAG_INGEST_BATCH, offset, payloadTag, body);
  writeRepeatedRecords(buffer, position, records, lengths);
  return buffer;
}

/**
 * A buffer for a whole request whose payload field takes `payloadLength` bytes, with everything before the
 * payload written: the request's tag and length, `offset_id`, the payload's tag and length. Returns where
 * the payload starts.
 */
function envelope(
  requestTag: number,
  offset: number,
  payloadTag: number,
  payloadLength: number,
): { buffer: Buffer; position: number } {
  const inner = 1 + varintLength(offset) + 1 + varintLength(payloadLength) + payloadLength;
  const buffer = requestBuffer(1 + varintLength(inner) + inner);
  let position = writeTagLength(buffer, 0, requestTag, inner);
  buffer[position++] = TAG_OFFSET;
  position = writeVarint(buffer, position, offset);
  position = writeTagLength(buffer, position, payloadTag, payloadLength);
  return { buffer, position };
}

/**
 * `Buffer#latin1Write` and `#utf8Write` skip the argument juggling of `Buffer#write`; they are not in
 * Node's typings, so they are feature-detected once, with `write` as the fallback. An ASCII string (its
 * UTF-8 length, already known, equals its length) is written as Latin-1, which copies one byte per
 * character without UTF-8 encoding: about twice as fast for records of 100 bytes, with no allocation.
 */
interface FastBuffer {
  utf8Write(text: string, offset: number, length: number): number;
  latin1Write(text: string, offset: number, length: number): number;
}
const fastPrototype = Buffer.prototype as unknown as Partial<FastBuffer>;
const hasFastWrites =
  typeof fastPrototype.utf8Write === "function" && typeof fastPrototype.latin1Write === "function";

function writeRecord(buffer: Buffer, position: number, record: WireRecord, length: number): number {
  if (typeof record !== "string") buffer.set(record, position);
  else if (!hasFastWrites)
    buffer.write(record, position, length, record.length === length ? "latin1" : "utf8");
  else if (record.length === length) (buffer as unknown as FastBuffer).latin1Write(record, position, length);
  else (buffer as unknown as FastBuffer).utf8Write(record, position, length);
  return position + length;
}

/**
 * Writes the records of a batch, each as tag, varint length and payload. ASCII records (their UTF-8
 * length, already known, equals their length) are copied with a Latin-1 write, which maps each character
 * to one byte without UTF-8 encoding; others with a UTF-8 write. Nothing is allocated per record: in a
 * process that also holds large batches, garbage per record (strings gathered for fewer writes, say)
 * costs more in collections than the native calls it saves.
 */
function writeRepeatedRecords(
  buffer: Buffer,
  start: number,
  records: readonly WireRecord[],
  lengths: readonly number[],
): void {
  let position = start;
  for (let i = 0; i < records.length; i++) {
    const length = lengths[i] as number;
    buffer[position++] = TAG_REPEATED_RECORD;
    position = writeVarint(buffer, position, length);
    position = writeRecord(buffer, position, records[i] as WireRecord, length);
  }
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
