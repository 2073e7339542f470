/**
 * Sizes of the ingest requests on the wire (`EphemeralStreamRequest` around an `IngestRecordRequest` or an
 * `IngestRecordBatchRequest`, PROTOCOL.md B §1.2), computed without encoding anything: the engine cuts
 * coalesced batches and refuses oversize records (A.10) on these numbers, for every backend alike.
 */

/**
 * Room kept for `offset_id`: the longest varint of an int64. Counting the worst case once keeps every size
 * independent of the wire offset the request will get.
 */
export const MAX_OFFSET_VARINT_BYTES = 10;

/** Bytes of the protobuf varint of a non-negative integer (up to 2^53). */
export function varintLength(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  // Past 28 bits the bitwise operators would truncate to 32 bits, so count by division.
  let length = 4;
  for (let rest = Math.floor(value / 0x10000000); rest > 0; rest = Math.floor(rest / 0x80)) length++;
  return length;
}

/** One length-delimited field (tag byte, length varint, content) holding `length` bytes. */
export function lengthDelimitedSize(length: number): number {
  return 1 + varintLength(length) + length;
}

/** The whole request for one record of `recordBytes` bytes sent as an `IngestRecordRequest`. */
export function singleRequestSize(recordBytes: number): number {
  const inner = 1 + MAX_OFFSET_VARINT_BYTES + lengthDelimitedSize(recordBytes);
  return lengthDelimitedSize(inner);
}

/**
 * The whole request for an `IngestRecordBatchRequest` whose repeated field takes `recordsBytes` bytes, the
 * sum of {@link lengthDelimitedSize} over its records.
 */
export function batchRequestSize(recordsBytes: number): number {
  const inner = 1 + MAX_OFFSET_VARINT_BYTES + lengthDelimitedSize(recordsBytes);
  return lengthDelimitedSize(inner);
}
