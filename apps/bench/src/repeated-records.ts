import { pushVarint } from "./grpc-frames.js";

/**
 * Request bodies written in place, shared by the reference clients that build their requests by hand
 * (`api-floor`, `worker-floor`): records appended as a repeated field after some head room, and the gRPC
 * prefix and request envelope written into that head room once the body is complete, so a request leaves
 * with no copy.
 */

/** Room kept before a body for the gRPC prefix and the envelope (at most 5 + 1 + 3 × 5 bytes). */
export const HEAD_ROOM = 32;

/** Node's undocumented `Buffer#utf8Write` (what `Buffer#write` calls after juggling its arguments). */
interface Utf8Writable {
  utf8Write(text: string, offset: number): number;
}

/**
 * Bytes a record may take in the worst case, tag and length included: UTF-8 takes at most 3 bytes per
 * UTF-16 unit, and a length below 2^32 at most 5.
 */
export function worstCaseBytes(record: string): number {
  return 6 + record.length * 3;
}

/**
 * Appends `record` at `position` as one `records` entry (tag, length, UTF-8 bytes) with one UTF-8 write,
 * which measures it too; a length past one varint byte moves the bytes once. Returns the position after
 * it. The caller checked that {@link worstCaseBytes} fit.
 */
export function writeRepeatedRecord(buffer: Buffer, position: number, record: string): number {
  const written = (buffer as unknown as Utf8Writable).utf8Write(record, position + 2);
  buffer[position] = 0x0a;
  if (written < 0x80) {
    buffer[position + 1] = written;
    return position + 2 + written;
  }
  const length: number[] = [];
  pushVarint(length, written);
  buffer.copyWithin(position + 1 + length.length, position + 2, position + 2 + written);
  buffer.set(length, position + 1);
  return position + 1 + length.length + written;
}

/**
 * Frames the body `[bodyStart, bodyEnd)` (JSON records as a repeated field) as one gRPC message holding an
 * `IngestRecordBatchRequest` with `wireOffset`, written into the head room before it. Returns where the
 * framed message starts (it ends at `bodyEnd`).
 */
export function frameInHeadRoom(
  buffer: Buffer,
  bodyStart: number,
  bodyEnd: number,
  wireOffset: number,
): number {
  const body = bodyEnd - bodyStart;
  const inner = [0x08];
  pushVarint(inner, wireOffset);
  inner.push(0x1a);
  pushVarint(inner, body);
  const head = [0x1a];
  pushVarint(head, inner.length + body);
  const start = bodyStart - inner.length - head.length - 5;
  buffer[start] = 0;
  buffer.writeUInt32BE(head.length + inner.length + body, start + 1);
  buffer.set(head, start + 5);
  buffer.set(inner, start + 5 + head.length);
  return start;
}
