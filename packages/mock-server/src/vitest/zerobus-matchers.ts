import type { ExpectedRecord } from "../recording/record-matching.js";
import { toHaveConnections, toHaveReceivedRecords, toHaveReceivedRequests } from "./count-matchers.js";
import { toHaveDelivered, toHaveDeliveredExactly } from "./delivery-matchers.js";
import { type ExpectedEnd, toHaveEndedWith } from "./end-matcher.js";

/**
 * The matchers `@zerobus/mock-server/vitest` adds to `expect`, each taking a table recording
 * (`server.table(name)`). Records are expected as JSON texts (compared exactly), proto bytes (compared
 * exactly) or values (compared with the parsed JSON or the proto JSON, asymmetric matchers allowed).
 */
export interface ZerobusMatchers {
  /** Each record arrived at least once, nothing else arrived, first arrivals in this order (re-sends pass). */
  toHaveDelivered(records: readonly ExpectedRecord[]): void;
  /** These records arrived each exactly once, in this order, and nothing else. */
  toHaveDeliveredExactly(records: readonly ExpectedRecord[]): void;
  /** The table accepted this many records, duplicates included. */
  toHaveReceivedRecords(count: number): void;
  /** The table accepted this many ingest requests (a batch is one). */
  toHaveReceivedRequests(count: number): void;
  /** This many streams named the table in their create. */
  toHaveConnections(count: number): void;
  /** The table's latest connection has ended, as `end` says: a status from the server, or a client/transport end. */
  toHaveEndedWith(end: ExpectedEnd): void;
}

declare module "vitest" {
  // Merges into vitest's own `Matchers` (vitest 3.2 to 4), which types `expect(…)` and `expect.extend` at
  // once; the type parameter must repeat vitest's declaration to merge.
  // biome-ignore lint/suspicious/noExplicitAny: vitest declares `Matchers<T = any>`; a merge must match it
  interface Matchers<T = any> extends ZerobusMatchers {}
}

/** The matchers as `expect.extend` takes them; importing `@zerobus/mock-server/vitest` registers them. */
export const zerobusMatchers = {
  toHaveDelivered,
  toHaveDeliveredExactly,
  toHaveReceivedRecords,
  toHaveReceivedRequests,
  toHaveConnections,
  toHaveEndedWith,
};
