import type { ConnectionEnd } from "../recording/recorded-types.js";
import { GrpcStatusCode, type StatusCode } from "../status.js";
import type { MatcherContext } from "./matcher-context.js";
import { type MatcherOutcome, outcome } from "./matcher-outcome.js";
import { receivedTable } from "./received-table.js";
import { count } from "./wording.js";

/**
 * How a test expects a connection to have ended. A status code, or `{ code, details? }`, means the server
 * ended it with that status (OK included); `{ by: "client" | "transport", how? }` means the client
 * cancelled or half-closed it, or the TCP connection went. `details` may be an asymmetric matcher, as in
 * `{ code: 14, details: expect.stringContaining("maintenance") }`.
 */
export type ExpectedEnd =
  | StatusCode
  | { code: StatusCode; details?: string }
  | { by: "server"; code?: StatusCode; details?: string }
  | { by: "client"; how?: "cancelled" | "half-closed" }
  | { by: "transport"; how?: "dropped" };

/**
 * `expect(table).toHaveEndedWith(end)`: the table's latest connection has ended, and as `end` says. Fields
 * `end` leaves out are not compared (a code without details matches any details). Synchronous: a
 * connection still live fails, so wait first (`await table.connections.at(-1)?.ended`, or a `waitFor…`).
 */
export function toHaveEndedWith(
  this: MatcherContext,
  received: unknown,
  expected: ExpectedEnd,
): MatcherOutcome {
  const table = receivedTable("toHaveEndedWith", received);
  const wanted = expectedEnd(expected);
  const latest = table.connections.at(-1);
  const end = latest?.end;
  // Only the fields the test named, so the diff shows what it asked about; the whole end when even `by`
  // differs, since the other fields then mean something else.
  const actual =
    end === undefined || end.by !== wanted.by
      ? end
      : Object.fromEntries(Object.keys(wanted).map((key) => [key, end[key as keyof ConnectionEnd]]));
  const pass = end !== undefined && this.equals(actual, wanted, this.customTesters);
  const subject =
    latest === undefined
      ? `a connection of table ${table.name}`
      : `the latest connection of table ${table.name} (id ${latest.id}; the table had ${count(table.connections.length, "connection")})`;
  return outcome(
    pass,
    (passed) => {
      if (passed) return `expected ${subject} not to have ended ${describeEnd(wanted)}, but it did`;
      const found =
        latest === undefined
          ? "no connection named the table"
          : end === undefined
            ? "it is still live (await its `ended` first)"
            : `it ended ${describeEnd(end)}`;
      return `expected ${subject} to have ended ${describeEnd(wanted)}; ${found}`;
    },
    actual,
    wanted,
  );
}

type WantedEnd = Record<string, unknown> & { by: ConnectionEnd["by"] };

function expectedEnd(expected: ExpectedEnd): WantedEnd {
  if (typeof expected === "number") return { by: "server", code: expected };
  if ("by" in expected) return { ...expected };
  return { by: "server", ...expected };
}

function describeEnd(end: WantedEnd | ConnectionEnd): string {
  if (end.by === "server") {
    const code =
      typeof end.code === "number" ? ` with ${GrpcStatusCode[end.code] ?? "status"} (${end.code})` : "";
    const details = typeof end.details === "string" ? ` "${end.details}"` : "";
    return `by the server${code}${details}`;
  }
  return `by the ${end.by}${typeof end.how === "string" ? ` (${end.how})` : ""}`;
}
