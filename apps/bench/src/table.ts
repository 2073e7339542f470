import type { Target } from "./cases.js";
import { atLeast, none, type Verdict, verdictLine } from "./verdict.js";

/** One timed run of one client on one case. */
export interface Result {
  workload: string;
  client: string;
  round: number;
  ms: number;
  records: number;
  /** UTF-8 bytes of the records. */
  payloadBytes: number;
  requests: number;
  clientCpuMs: number;
  serverCpuMs: number;
  /** Calls whose offset did not follow the previous call's (clients that check it). */
  outOfOrder?: number;
}

/** The service's throughput quota per stream, in MB/s (10^6 bytes). */
export const QUOTA_MB_PER_SECOND = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** One client's medians on one case. */
export interface Row {
  workload: string;
  client: string;
  recordsPerSecond: number;
  megabytesPerSecond: number;
  requests: number;
  clientCpuMs: number;
  serverCpuMs: number;
  /** Summed over the rounds; undefined for clients that do not check. */
  outOfOrder: number | undefined;
}

/** The medians per case and client, in the order the results came. */
export function summarise(results: readonly Result[]): Row[] {
  const groups = new Map<string, Result[]>();
  for (const result of results) {
    const key = `${result.workload}\u0000${result.client}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Result;
    const checked = group.filter((r) => r.outOfOrder !== undefined);
    return {
      workload: first.workload,
      client: first.client,
      recordsPerSecond: median(group.map((r) => (r.records / r.ms) * 1000)),
      megabytesPerSecond: median(group.map((r) => r.payloadBytes / 1000 / r.ms)),
      requests: median(group.map((r) => r.requests)),
      clientCpuMs: median(group.map((r) => r.clientCpuMs)),
      serverCpuMs: median(group.map((r) => r.serverCpuMs)),
      outOfOrder: checked.length === 0 ? undefined : checked.reduce((sum, r) => sum + (r.outOfOrder ?? 0), 0),
    };
  });
}

/** Every target's verdict from the medians (a client that did not run makes its target "not available"). */
export function evaluateTargets(results: readonly Result[], targets: readonly Target[]): Verdict[] {
  const rows = summarise(results);
  const row = (workload: string, client: string) =>
    rows.find((r) => r.workload === workload && r.client === client);
  return targets.map((target) => {
    if (target.kind === "order") {
      return none(
        target.id,
        `${target.workload}: ${target.client}, calls whose offset did not follow call order`,
        row(target.workload, target.client)?.outOfOrder,
      );
    }
    const value = row(target.workload, target.client)?.recordsPerSecond;
    const baseWorkload = target.baseWorkload ?? target.workload;
    const base = row(baseWorkload, target.base)?.recordsPerSecond;
    const baseName = target.baseWorkload === undefined ? target.base : `${target.base} (${baseWorkload})`;
    return atLeast(
      target.id,
      `${target.workload}: ${target.client} / ${baseName} (${target.unit})`,
      value === undefined || base === undefined ? undefined : value / base,
      target.atLeast,
    );
  });
}

const ratio = (value: number, base: number | undefined) => (base ? `${(value / base).toFixed(2)}×` : "");
const whole = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * The medians as a Markdown table (rec/s, payload MB/s and its share of the per-stream quota, requests on
 * the wire, CPU of client and server, the ratios to `api-floor`, `h2-limit` and `official` of the same case,
 * calls out of call order over the rounds), a line per client that could not run here, then each target
 * with its ratio and verdict.
 */
export function formatTable(
  results: readonly Result[],
  verdicts: readonly Verdict[],
  unavailable: ReadonlyMap<string, string>,
): string {
  const rows = summarise(results);
  const rate = (workload: string, client: string) =>
    rows.find((row) => row.workload === workload && row.client === client)?.recordsPerSecond;
  const lines = [
    "| workload | client | rec/s (median) | MB/s | of quota | requests | client CPU ms | server CPU ms | vs api-floor | vs h2-limit | vs official | out of order |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.workload} | ${row.client} | ${whole(row.recordsPerSecond)} | ${row.megabytesPerSecond.toFixed(1)} | ${(row.megabytesPerSecond / QUOTA_MB_PER_SECOND).toFixed(2)}× | ${whole(row.requests)} | ${row.clientCpuMs.toFixed(0)} | ${row.serverCpuMs.toFixed(0)} | ${ratio(row.recordsPerSecond, rate(row.workload, "api-floor"))} | ${ratio(row.recordsPerSecond, rate(row.workload, "h2-limit"))} | ${ratio(row.recordsPerSecond, rate(row.workload, "official"))} | ${row.outOfOrder ?? ""} |`,
    );
  }
  for (const [client, reason] of unavailable)
    lines.push(`| (all) | ${client} | not available: ${reason} | | | | | | | | | |`);
  lines.push("");
  for (const verdict of verdicts) lines.push(verdictLine(verdict));
  return lines.join("\n");
}
