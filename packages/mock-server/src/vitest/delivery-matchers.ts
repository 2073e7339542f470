import {
  comparable,
  comparableExpected,
  type ExpectedRecord,
  firstArrivals,
} from "../recording/record-matching.js";
import type { MatcherContext } from "./matcher-context.js";
import { type MatcherOutcome, outcome } from "./matcher-outcome.js";
import { receivedTable } from "./received-table.js";
import { count, firstDifference, keptRecordsNote } from "./wording.js";

/**
 * `expect(table).toHaveDelivered(records)`: at-least-once delivery, as `TableRecording.assertDelivered`
 * judges it. Each expected record arrived at least once, nothing else arrived, and the first arrivals are
 * in the expected order; re-sent duplicates pass.
 */
export function toHaveDelivered(
  this: MatcherContext,
  received: unknown,
  expected: readonly ExpectedRecord[],
): MatcherOutcome {
  const table = receivedTable("toHaveDelivered", received);
  const firsts = firstArrivals(table.records);
  const actual = firsts.map((record, index) => comparable(record, expected[index]));
  const wanted = expected.map(comparableExpected);
  // Strict, as assertDelivered's deepStrictEqual; vitest's equality also honours asymmetric matchers
  // (`expect.any(String)`) inside expected records.
  const equals = (a: unknown, b: unknown) => this.equals(a, b, this.customTesters, true);
  const pass = equals(actual, wanted);
  const what = `${count(expected.length, "distinct record")} in order`;
  return outcome(
    pass,
    (passed) =>
      passed
        ? `expected table ${table.name} not to have delivered ${what}, but it did ` +
          `(${count(table.records.length, "arrival")}, ${count(table.records.length - firsts.length, "duplicate")})`
        : `expected table ${table.name} to have delivered ${what}; received ${firsts.length} distinct of ` +
          `${table.records.length}${keptRecordsNote(table)}${firstDifference(actual, wanted, equals)}`,
    actual,
    wanted,
  );
}

/**
 * `expect(table).toHaveDeliveredExactly(records)`: exactly-once delivery, as `TableRecording.assertRecords`
 * judges it. The table received these records, each once, in this order, and nothing else.
 */
export function toHaveDeliveredExactly(
  this: MatcherContext,
  received: unknown,
  expected: readonly ExpectedRecord[],
): MatcherOutcome {
  const table = receivedTable("toHaveDeliveredExactly", received);
  const actual = table.records.map((record, index) => comparable(record, expected[index]));
  const wanted = expected.map(comparableExpected);
  const equals = (a: unknown, b: unknown) => this.equals(a, b, this.customTesters, true);
  const pass = equals(actual, wanted);
  const what = `${count(expected.length, "record")}, each once, in order`;
  return outcome(
    pass,
    (passed) =>
      passed
        ? `expected table ${table.name} not to have delivered exactly ${what}, but it did`
        : `expected table ${table.name} to have delivered exactly ${what}; received ` +
          `${count(table.records.length, "record")}${keptRecordsNote(table)}${firstDifference(actual, wanted, equals)}`,
    actual,
    wanted,
  );
}
