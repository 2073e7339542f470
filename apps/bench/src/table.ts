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

/**
 * The medians as a Markdown table (rec/s, requests on the wire, CPU of client and server), then the two
 * target ratios: backend-js vs h2-limit on single records (≥ 1.0) and vs grpcjs-floor on batches (≥ 0.9),
 * and where `api-floor` and `worker-floor` (the cheapest possible clients of the awaited API, on one thread
 * and on two) put the first of them; then what the SDK saves on object records by not parsing its own JSON
 * text again (`sdk-objects` over `sdk-reparse`), when both ran.
 */
export function formatTable(results: readonly Result[]): string {
  const rows = summarise(results);
  const rate = (workload: string, client: string) =>
    rows.find((row) => row.workload === workload && row.client === client)?.recordsPerSecond;
  const lines = [
    "| workload | client | rec/s (median) | requests | client CPU ms | server CPU ms | vs h2-limit | vs grpcjs-floor |",
    "|---|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.workload} | ${row.client} | ${Math.round(row.recordsPerSecond).toLocaleString("en-US")} | ${row.requests.toLocaleString("en-US")} | ${row.clientCpuMs.toFixed(0)} | ${row.serverCpuMs.toFixed(0)} | ${ratio(row.recordsPerSecond, rate(row.workload, "h2-limit"))} | ${ratio(row.recordsPerSecond, rate(row.workload, "grpcjs-floor"))} |`,
    );
  }
  const singles = rows[0]?.workload ?? "";
  const batches = rows.at(-1)?.workload ?? "";
  /** `client`'s median rate over `base`'s on `workload`. */
  const versus = (workload: string, client: string, base: string) =>
    (rate(workload, client) ?? 0) / (rate(workload, base) ?? 1);
  const singlesRatio = versus(singles, "backend-js", "h2-limit");
  const batchesRatio = versus(batches, "backend-js", "grpcjs-floor");
  const floorRatio = versus(singles, "api-floor", "h2-limit");
  const toFloor = versus(singles, "backend-js", "api-floor");
  const workerRatio = versus(singles, "worker-floor", "h2-limit");
  lines.push("");
  lines.push(
    `backend-js / h2-limit on ${singles}: ${singlesRatio.toFixed(2)}× (target ≥ 1.0) ${singlesRatio >= 1 ? "ok" : "MISSED"}`,
  );
  lines.push(
    `backend-js / grpcjs-floor on ${batches}: ${batchesRatio.toFixed(2)}× (target ≥ 0.9) ${batchesRatio >= 0.9 ? "ok" : "MISSED"}`,
  );
  lines.push(
    `api-floor / h2-limit on ${singles}: ${floorRatio.toFixed(2)}× (the most an awaited-ingest client reaches here); backend-js / api-floor: ${toFloor.toFixed(2)}×`,
  );
  lines.push(
    `worker-floor / h2-limit on ${singles}: ${workerRatio.toFixed(2)}× (the same floor with sending on a worker thread)`,
  );
  if (rate(singles, "sdk-objects") !== undefined && rate(singles, "sdk-reparse") !== undefined) {
    const saving = versus(singles, "sdk-objects", "sdk-reparse");
    lines.push(
      `sdk-objects / sdk-reparse on ${singles}: ${saving.toFixed(2)}× (object records through @zerobus/sdk, its own JSON text not parsed again vs parsed)`,
    );
  }
  return lines.join("\n");
}
