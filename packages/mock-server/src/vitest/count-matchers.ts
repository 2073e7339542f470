import type { TableRecording } from "../recording/table-recording.js";
import type { MatcherContext } from "./matcher-context.js";
import { type MatcherOutcome, outcome } from "./matcher-outcome.js";
import { receivedTable } from "./received-table.js";
import { count } from "./wording.js";

/**
 * `expect(table).toHaveReceivedRecords(n)`: the table accepted `n` records, duplicates included (a client
 * that re-sent 2 of 10 records makes 12). Counted even with `keepRecords: false`.
 */
export function toHaveReceivedRecords(
  this: MatcherContext,
  received: unknown,
  expected: number,
): MatcherOutcome {
  const table = receivedTable("toHaveReceivedRecords", received);
  return countOutcome(table, table.recordCount, expected, RECEIVED, "record", "duplicates included");
}

/**
 * `expect(table).toHaveReceivedRequests(n)`: the table accepted `n` ingest requests (a batch is one). A
 * request the server refused or cut with an `at` step is not accepted; see each connection's `requests`.
 */
export function toHaveReceivedRequests(
  this: MatcherContext,
  received: unknown,
  expected: number,
): MatcherOutcome {
  const table = receivedTable("toHaveReceivedRequests", received);
  return countOutcome(
    table,
    table.requests.length,
    expected,
    RECEIVED,
    "ingest request",
    "accepted; a batch is one",
  );
}

/** `expect(table).toHaveConnections(n)`: `n` streams were opened on the table (their create named it). */
export function toHaveConnections(this: MatcherContext, received: unknown, expected: number): MatcherOutcome {
  const table = receivedTable("toHaveConnections", received);
  return countOutcome(
    table,
    table.connections.length,
    expected,
    HAS,
    "connection",
    "streams whose create named it",
  );
}

/** How a count reads: "to have received 3 records …; it received 4", "to have 2 connections …; it has 3". */
interface Verb {
  expected: string;
  actual: string;
  /** The short answer of a `.not` that failed: "but it did". */
  confirm: string;
}
const RECEIVED: Verb = { expected: "have received", actual: "received", confirm: "did" };
const HAS: Verb = { expected: "have", actual: "has", confirm: "does" };

function countOutcome(
  table: TableRecording,
  actual: number,
  expected: number,
  verb: Verb,
  noun: string,
  how: string,
): MatcherOutcome {
  const what = `${count(expected, noun)} (${how})`;
  return outcome(
    actual === expected,
    (passed) =>
      passed
        ? `expected table ${table.name} not to ${verb.expected} ${what}, but it ${verb.confirm}`
        : `expected table ${table.name} to ${verb.expected} ${what}; it ${verb.actual} ${actual}`,
    actual,
    expected,
  );
}
