/** One timed run. */
export interface Result {
  workload: string;
  client: string;
  round: number;
  ms: number;
  records: number;
  requests: number;
  clientCpuMs: number;
  serverCpuMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

interface Row {
  workload: string;
  client: string;
  recordsPerSecond: number;
  requests: number;
  clientCpuMs: number;
  serverCpuMs: number;
}

function summarise(results: readonly Result[]): Row[] {
  const groups = new Map<string, Result[]>();
  for (const result of results) {
    const key = `${result.workload}\u0000${result.client}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Result;
    return {
      workload: first.workload,
      client: first.client,
      recordsPerSecond: median(group.map((r) => (r.records / r.ms) * 1000)),
      requests: median(group.map((r) => r.requests)),
      clientCpuMs: median(group.map((r) => r.clientCpuMs)),
      serverCpuMs: median(group.map((r) => r.serverCpuMs)),
    };
  });
}

const ratio = (value: number, base: number | undefined) => (base ? `${(value / base).toFixed(2)}×` : "");

/** One target of the issue's table: a ratio of two clients' median rates on one workload. */
export interface Target {
  workload: string;
  client: string;
  base: string;
  /** The ratio must be at least this. */
  atLeast: number;
  /** The row's id in the README (W1, W2). */
  id: string;
}

/** A target's outcome: PASS/FAIL with the ratio, or why it could not be computed. */
export interface TargetOutcome extends Target {
  ratio: number | undefined;
  verdict: "PASS" | "FAIL" | "not available";
}

/** Every target's ratio from the medians (a client that did not run makes its target "not available"). */
export function evaluateTargets(results: readonly Result[], targets: readonly Target[]): TargetOutcome[] {
  const rows = summarise(results);
  const rate = (workload: string, client: string) =>
    rows.find((row) => row.workload === workload && row.client === client)?.recordsPerSecond;
  return targets.map((target) => {
    const value = rate(target.workload, target.client);
    const base = rate(target.workload, target.base);
    if (value === undefined || base === undefined)
      return { ...target, ratio: undefined, verdict: "not available" };
    const ratio = value / base;
    return { ...target, ratio, verdict: ratio >= target.atLeast ? "PASS" : "FAIL" };
  });
}

/**
 * The medians as a Markdown table (rec/s, requests on the wire, CPU of client and server, the ratio to
 * `api-floor` and to `official`), a line per client that could not run here, then each target with its
 * ratio and verdict.
 */
export function formatTable(
  results: readonly Result[],
  outcomes: readonly TargetOutcome[],
  unavailable: ReadonlyMap<string, string>,
): string {
  const rows = summarise(results);
  const rate = (workload: string, client: string) =>
    rows.find((row) => row.workload === workload && row.client === client)?.recordsPerSecond;
  const lines = [
    "| workload | client | rec/s (median) | requests | client CPU ms | server CPU ms | vs api-floor | vs official |",
    "|---|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.workload} | ${row.client} | ${Math.round(row.recordsPerSecond).toLocaleString("en-US")} | ${row.requests.toLocaleString("en-US")} | ${row.clientCpuMs.toFixed(0)} | ${row.serverCpuMs.toFixed(0)} | ${ratio(row.recordsPerSecond, rate(row.workload, "api-floor"))} | ${ratio(row.recordsPerSecond, rate(row.workload, "official"))} |`,
    );
  }
  for (const [client, reason] of unavailable)
    lines.push(`| (all) | ${client} | not available: ${reason} | | | | | |`);
  lines.push("");
  for (const outcome of outcomes) {
    const shown = outcome.ratio === undefined ? "—" : `${outcome.ratio.toFixed(2)}×`;
    lines.push(
      `${outcome.id} ${outcome.workload}: ${outcome.client} / ${outcome.base} = ${shown} (target ≥ ${outcome.atLeast}) ${outcome.verdict}`,
    );
  }
  return lines.join("\n");
}
