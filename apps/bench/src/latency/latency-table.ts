import { atLeast, atMost, type Verdict, verdictLine } from "../verdict.js";
import type { LatencyResults, LatencyRow } from "./latency-results.js";

/** The clients whose targets W4 checks (`h2-limit` is their floor, `official` a reference row). */
const SDK_CLIENTS = ["sdk-js", "sdk-native"] as const;
/** SDK p99 ≤ this × `h2-limit` p99 at {@link P99_RATE}. */
const P99_AT_MOST = 1.5;
const P99_RATE = 10_000;
/** Achieved ≥ this × offered at {@link KEEP_UP_RATE}: no queue that grows without bound. */
const KEEP_UP_AT_LEAST = 0.95;
const KEEP_UP_RATE = 50_000;

function rowFor(
  results: LatencyResults,
  rate: number,
  delay: number,
  client: string,
): LatencyRow | undefined {
  return results.rows.find(
    (row) => row.mode === "open" && row.offered === rate && row.ackDelayMs === delay && row.client === client,
  );
}

/**
 * The W4 targets for each ack delay of the run and each `sdk-*` client: p99 at 10k rec/s against
 * `h2-limit`'s (≤ 1.5×), and achieved ÷ offered at 50k rec/s (≥ 0.95×). A case the run did not have (the
 * quick run has no 50k) or a client that did not run makes its target "not available".
 */
export function latencyTargets(results: LatencyResults): Verdict[] {
  const delays = [...new Set(results.cases.map((latencyCase) => latencyCase.ackDelayMs))];
  const outcomes: Verdict[] = [];
  for (const delay of delays) {
    const limit = rowFor(results, P99_RATE, delay, "h2-limit")?.percentiles?.p99;
    for (const client of SDK_CLIENTS) {
      const p99 = rowFor(results, P99_RATE, delay, client)?.percentiles?.p99;
      outcomes.push(
        atMost(
          "W4",
          `${P99_RATE / 1000}k rec/s, ack delay ${delay} ms: ${client} p99 / h2-limit p99`,
          p99 === undefined || limit === undefined || limit === 0 ? undefined : p99 / limit,
          P99_AT_MOST,
        ),
      );
    }
    for (const client of SDK_CLIENTS) {
      const row = rowFor(results, KEEP_UP_RATE, delay, client);
      const ratio = row?.achieved == null || row.offered === null ? undefined : row.achieved / row.offered;
      outcomes.push(
        atLeast(
          "W4",
          `${KEEP_UP_RATE / 1000}k rec/s, ack delay ${delay} ms: ${client} achieved / offered`,
          ratio,
          KEEP_UP_AT_LEAST,
        ),
      );
    }
  }
  return outcomes;
}

const ms = (value: number) =>
  value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
const perSecond = (value: number | null) =>
  value === null ? "—" : Math.round(value).toLocaleString("en-US");

function line(row: LatencyRow): string {
  const offered = row.offered === null ? "closed loop" : perSecond(row.offered);
  const ratio =
    row.offered === null || row.achieved === null ? "—" : `${(row.achieved / row.offered).toFixed(2)}×`;
  const p = row.percentiles;
  const figures = p === null ? ["", "", "", "", ""] : [p.p50, p.p90, p.p99, p.p999, p.max].map(ms);
  const passes =
    row.p99OfPasses === undefined
      ? ""
      : ` (median of ${row.p99OfPasses.length} passes by p99: ${row.p99OfPasses.map(ms).join(", ")} ms)`;
  const note = row.note === undefined ? "" : ` (${row.note})`;
  return `| ${row.case}${passes} | ${row.client}${note} | ${offered} | ${perSecond(row.achieved)} | ${ratio} | ${figures.join(" | ")} |`;
}

/** What the latencies count from, printed under the table. */
const HOW_COUNTED =
  "Latency: closed loop from the ingest call; open loop from each record's intended send time (start + i / rate), " +
  "so a record the client held up is charged for the wait (no coordinated omission). The open-loop sender wakes on " +
  "Node's 1 ms timers: up to about 1 ms of each open-loop figure is that wait, the same for every client.";

/**
 * W4's figures as a Markdown table (a row per case × client; a client that could not run here gets one
 * "(all)" line instead of a row per case), a line on what the latencies count from, then each target with
 * its ratio and verdict.
 */
export function formatLatencyTable(results: LatencyResults): string {
  const lines = [
    "| case | client | offered rec/s | achieved rec/s | achieved / offered | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  const absent = new Map<string, string>();
  for (const client of results.clients) {
    const rows = results.rows.filter((row) => row.client === client);
    if (rows.length > 0 && rows.every((row) => row.note?.startsWith("not available") === true))
      absent.set(client, rows[0]?.note ?? "not available");
  }
  for (const row of results.rows) if (!absent.has(row.client)) lines.push(line(row));
  for (const [client, note] of absent) lines.push(`| (all) | ${client} | ${note} | | | | | | | |`);
  lines.push("", HOW_COUNTED, "");
  for (const target of latencyTargets(results)) lines.push(verdictLine(target));
  return lines.join("\n");
}
