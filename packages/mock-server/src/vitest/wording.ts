import type { TableRecording } from "../recording/table-recording.js";

/** `1 record`, `3 records`: failure messages count things the way a reader would. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * A note for tables recorded with `keepRecords: false`: their `records` and `requests` stay empty, so a
 * matcher comparing records would otherwise report "received 0" for a table that did receive some.
 */
export function keptRecordsNote(table: TableRecording): string {
  return table.records.length === 0 && table.recordCount > 0
    ? ` (the server counted ${count(table.recordCount, "record")} but kept none: it runs with keepRecords: false)`
    : "";
}

/**
 * Where two lists first differ, in words: which position, and whether a record is missing there, unexpected
 * there, or a different one.
 */
export function firstDifference(
  actual: readonly unknown[],
  expected: readonly unknown[],
  equals: (a: unknown, b: unknown) => boolean,
): string {
  const length = Math.max(actual.length, expected.length);
  for (let index = 0; index < length; index++) {
    if (index >= actual.length) return `; first difference at index ${index}: missing`;
    if (index >= expected.length) return `; first difference at index ${index}: an unexpected record`;
    if (!equals(actual[index], expected[index]))
      return `; first difference at index ${index}: a different record`;
  }
  return "";
}
