import { isDeepStrictEqual } from "node:util";
import type { JsonValue } from "@bufbuild/protobuf";
import type { RecordedRecord } from "./recorded-types.js";

/**
 * A record a test expects: a JSON text (compared exactly), encoded proto bytes (compared exactly), or a
 * value compared deeply with the parsed JSON or the decoded message in proto JSON form.
 */
export type ExpectedRecord = string | Uint8Array | JsonValue;

/** A key equal for records with the same kind and the same bytes. */
export function recordKey(record: RecordedRecord): string {
  return record.kind === "json"
    ? `json:${record.json}`
    : `proto:${Buffer.from(record.bytes).toString("hex")}`;
}

/** Whether a received record is the expected one. */
export function matchesRecord(record: RecordedRecord, expected: ExpectedRecord): boolean {
  if (typeof expected === "string") return record.kind === "json" && record.json === expected;
  if (expected instanceof Uint8Array) {
    return record.kind === "proto" && Buffer.from(record.bytes).equals(Buffer.from(expected));
  }
  return isDeepStrictEqual(record.value, expected);
}

/**
 * The form of a received record that is comparable with `expected` (same shape), so an assertion diff shows
 * like against like.
 */
export function comparable(
  record: RecordedRecord | undefined,
  expected: ExpectedRecord | undefined,
): unknown {
  if (record === undefined) return undefined;
  if (typeof expected === "string") return record.kind === "json" ? record.json : `<proto ${hex(record)}>`;
  if (expected instanceof Uint8Array) return record.kind === "proto" ? hex(record) : `<json ${record.json}>`;
  return record.value;
}

/** The comparable form of an expected record. */
export function comparableExpected(expected: ExpectedRecord): unknown {
  return expected instanceof Uint8Array ? Buffer.from(expected).toString("hex") : expected;
}

function hex(record: RecordedRecord): string {
  return record.kind === "proto" ? Buffer.from(record.bytes).toString("hex") : record.json;
}

/**
 * Each distinct record at its first arrival, in arrival order: what at-least-once delivery is judged on
 * (a client's re-sends are duplicates of a record already counted).
 */
export function firstArrivals(records: readonly RecordedRecord[]): RecordedRecord[] {
  const seen = new Set<string>();
  return records.filter((record) => {
    const key = recordKey(record);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
