import type { SupportedRecordType } from "../record-type.js";
import { RecordType } from "../record-type.js";
import type { ResolvedStreamOptions } from "../stream-options.js";
import type { WireRecord } from "../wire-stream.js";
import { ZerobusError } from "../zerobus-error.js";
import { kindOf } from "./kind-of.js";
import { batchRequestSize, lengthDelimitedSize, singleRequestSize } from "./wire-size.js";

/** The options the checks of PROTOCOL.md A.10 read. */
export type RecordCheckOptions = Pick<
  ResolvedStreamOptions,
  "recordType" | "validateRecords" | "maxMessageBytes" | "maxInflightRecords" | "maxInflightBytes"
>;

function refuse(message: string): ZerobusError {
  return new ZerobusError("invalid_argument", message);
}

/**
 * The payload bytes of one record after the per-record checks of A.10: its kind matches the stream's
 * record type, and on a JSON stream with `validateRecords` it parses as a JSON object. Throws
 * `invalid_argument` naming the problem (never quoting the record: it may hold personal data).
 */
export function measureRecord(
  record: WireRecord,
  recordType: SupportedRecordType,
  validate: boolean,
  batchIndex?: number,
): number {
  if (recordType === RecordType.Json) {
    if (typeof record !== "string") {
      throw refuse(`${label(batchIndex)} must be a JSON string on a JSON stream; got ${kindOf(record)}`);
    }
    if (validate) checkJsonObject(record, batchIndex);
    return Buffer.byteLength(record, "utf8");
  }
  if (!(record instanceof Uint8Array)) {
    throw refuse(`${label(batchIndex)} must be a Uint8Array on a Proto stream; got ${kindOf(record)}`);
  }
  return record.byteLength;
}

/** How messages name a record; built only when a message needs it (not per record on the hot path). */
function label(batchIndex: number | undefined): string {
  return batchIndex === undefined ? "a record" : `record ${batchIndex} of the batch`;
}

function checkJsonObject(text: string, batchIndex: number | undefined): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ZerobusError("invalid_argument", `${label(batchIndex)} is not valid JSON`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw refuse(`${label(batchIndex)} must be a JSON object; got ${kindOf(value)}`);
  }
}

/**
 * The largest single record that passes {@link checkRecordFits}: the hot path compares against it and
 * calls the check (for its message) only above it.
 */
export function largestSingleRecord(options: RecordCheckOptions): number {
  let bytes = Math.min(options.maxMessageBytes, options.maxInflightBytes);
  while (bytes > 0 && singleRequestSize(bytes) > options.maxMessageBytes) bytes--;
  return bytes;
}

/** Refuses a single record whose request would pass `maxMessageBytes` or that could never fit in flight. */
export function checkRecordFits(bytes: number, options: RecordCheckOptions): void {
  checkRequestFits(`record of ${bytes} bytes`, bytes, singleRequestSize(bytes), options);
}

/** Refuses what makes a request over `maxMessageBytes` or holds more bytes than may ever be in flight. */
function checkRequestFits(
  what: string,
  bytes: number,
  requestSize: number,
  options: RecordCheckOptions,
): void {
  if (requestSize > options.maxMessageBytes) {
    throw refuse(
      `${what} makes a ${requestSize}-byte request, over maxMessageBytes ${options.maxMessageBytes}`,
    );
  }
  if (bytes > options.maxInflightBytes) {
    throw refuse(`${what} is larger than maxInflightBytes ${options.maxInflightBytes}`);
  }
}

/** What {@link measureBatch} measured. */
export interface BatchSize {
  /** The payload bytes of the whole batch. */
  bytes: number;
  /** Each record's byte length, kept so that the encoder does not measure again. */
  lengths: number[];
}

/**
 * Characters of records joined for one measurement. Joining records of about 100 bytes measures them
 * about a third cheaper than one call each; joining whole requests (a MiB and more) costs more than it
 * saves, since V8 puts strings that large in its large-object space (42 % of the JS thread's time on 16 KB
 * records in batches of 100, in a profile of the bench's W3).
 */
const JOINED_CHARS = 16 * 1024;

/**
 * Each record's byte length when the batch is JSON strings, all ASCII, and not to be validated; else
 * `undefined`. Consecutive records are joined up to {@link JOINED_CHARS} and measured with one native call
 * per join instead of one per record: the UTF-8 length of a string equals its length exactly when every
 * character is ASCII, and then so does each record's. A record at least that long is measured alone.
 */
function asciiJsonLengths(
  records: readonly WireRecord[],
  options: RecordCheckOptions,
  validate: boolean,
): number[] | undefined {
  if (options.recordType !== RecordType.Json || validate) return undefined;
  const count = records.length;
  const lengths = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const record = records[i];
    if (typeof record !== "string") return undefined;
    lengths[i] = record.length;
  }
  const texts = records as readonly string[];
  let start = 0;
  while (start < count) {
    let end = start + 1;
    let chars = lengths[start] as number;
    while (end < count && chars + (lengths[end] as number) <= JOINED_CHARS) chars += lengths[end++] as number;
    const text = end - start === 1 ? (texts[start] as string) : texts.slice(start, end).join("");
    if (Buffer.byteLength(text, "utf8") !== chars) return undefined;
    start = end;
  }
  return lengths;
}

/** Each record's byte length after the per-record checks (kind, JSON object when validating). */
function measureEach(
  records: readonly WireRecord[],
  options: RecordCheckOptions,
  validate: boolean,
): number[] {
  const lengths = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) {
    lengths[i] = measureRecord(records[i] as WireRecord, options.recordType, validate, i);
  }
  return lengths;
}

/**
 * Checks every record of a batch (A.10) and the batch as a whole (non-empty, one request under
 * `maxMessageBytes`, within the in-flight limits); returns its sizes. `validate` says whether JSON records
 * are parsed (by default `validateRecords`; off for text the SDK serialised from objects itself).
 */
export function measureBatch(
  records: readonly WireRecord[],
  options: RecordCheckOptions,
  validate: boolean = options.validateRecords,
): BatchSize {
  const count = records.length;
  if (count === 0) throw refuse("a batch must hold at least one record");
  if (count > options.maxInflightRecords) {
    throw refuse(`batch of ${count} records is larger than maxInflightRecords ${options.maxInflightRecords}`);
  }
  const lengths = asciiJsonLengths(records, options, validate) ?? measureEach(records, options, validate);
  let bytes = 0;
  let fieldBytes = 0;
  for (let i = 0; i < count; i++) {
    const length = lengths[i] as number;
    bytes += length;
    fieldBytes += length < 0x80 ? length + 2 : lengthDelimitedSize(length);
  }
  checkRequestFits(
    `batch of ${count} records (${bytes} bytes)`,
    bytes,
    batchRequestSize(fieldBytes),
    options,
  );
  return { bytes, lengths };
}
