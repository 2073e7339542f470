import { ServerProcess } from "../server-process.js";
import type { LatencyCase } from "./latency-case.js";
import { latencyCases, warmUpOf } from "./latency-case.js";
import type { LatencyResults, LatencyRow } from "./latency-results.js";
import type { LatencyOutcome } from "./latency-run.js";
import { LATENCY_CLIENTS, LatencyRunner } from "./latency-runner.js";

export type { LatencyResults, LatencyRow } from "./latency-results.js";
export { formatLatencyTable, latencyTargets } from "./latency-table.js";

/** Options of {@link runLatencyWorkload}. */
export interface LatencyWorkloadOptions {
  /** The CI smoke run: ack delay 0 only, the closed loop and 1k, 10k rec/s, shorter (under 30 s). */
  quick: boolean;
  /** Progress lines. */
  log: (line: string) => void;
}

/**
 * W4, call → ack latency: one TLS bench server, one process per client (`h2-limit`, `sdk-js`,
 * `sdk-native`, `official`) kept alive throughout, and for each ack delay (the server's, set between
 * groups) and each case, every client in turn: an uncounted warm-up run of the case, then its measured
 * run. A client that cannot run here gets "not available" rows and is not asked again.
 *
 * @example
 * ```ts
 * const results = await runLatencyWorkload({ quick: true, log: console.log });
 * console.log(formatLatencyTable(results));
 * ```
 */
export async function runLatencyWorkload(options: LatencyWorkloadOptions): Promise<LatencyResults> {
  const began = performance.now();
  const cases = latencyCases(options.quick);
  const tls = await ServerProcess.startTls();
  const target = { port: tls.server.port, ca: tls.ca, caFile: tls.caFile };
  const runners = await Promise.all(LATENCY_CLIENTS.map((name) => LatencyRunner.start(name)));
  const unavailable = new Map<string, string>();
  const rows: LatencyRow[] = [];
  try {
    let delay: number | undefined;
    for (const latencyCase of cases) {
      if (latencyCase.ackDelayMs !== delay) {
        delay = latencyCase.ackDelayMs;
        await tls.server.setAckDelay(delay);
      }
      const passes: LatencyRow[][] = runners.map(() => []);
      for (let pass = 0; pass < latencyCase.passes; pass++) {
        for (const [index, runner] of runners.entries()) {
          const known = unavailable.get(runner.name);
          if (known !== undefined) {
            passes[index]?.push(rowOf(latencyCase, runner.name, { note: `not available: ${known}` }));
            continue;
          }
          const row = await measure(runner, target, latencyCase, options.quick, pass === 0);
          if (row.note?.startsWith("not available: ")) unavailable.set(runner.name, row.note.slice(15));
          passes[index]?.push(row);
          const which = latencyCase.passes > 1 ? ` (pass ${pass + 1})` : "";
          options.log(`W4 ${latencyCase.label}${which}: ${runner.name} ${summary(row)}`);
        }
      }
      for (const clientPasses of passes) rows.push(medianPass(clientPasses));
    }
  } finally {
    for (const runner of runners) runner.stop();
    await tls.stop();
  }
  return {
    workload: "W4",
    quick: options.quick,
    clients: [...LATENCY_CLIENTS],
    cases,
    rows,
    wallMs: performance.now() - began,
    node: process.version,
  };
}

/**
 * A client's row of a case run in several passes: the pass with the median p99, and every pass's p99. A
 * single pass, or passes without figures, give the first as it is.
 */
export function medianPass(passes: readonly LatencyRow[]): LatencyRow {
  const measured = passes.filter((row) => row.percentiles !== null);
  if (passes.length <= 1 || measured.length === 0) return passes[0] as LatencyRow;
  const byP99 = [...measured].sort((a, b) => (a.percentiles?.p99 ?? 0) - (b.percentiles?.p99 ?? 0));
  const median = byP99[Math.floor((byP99.length - 1) / 2)] as LatencyRow;
  return { ...median, p99OfPasses: measured.map((row) => row.percentiles?.p99 ?? 0) };
}

/** The warm-up run (its figures dropped; the first pass only), then the measured run, as a row. */
async function measure(
  runner: LatencyRunner,
  target: { port: number; ca: string; caFile: string },
  latencyCase: LatencyCase,
  quick: boolean,
  warmUp: boolean,
): Promise<LatencyRow> {
  try {
    const warm = warmUp ? await runner.run(target, warmUpOf(latencyCase, quick)) : {};
    if ("unavailable" in warm)
      return rowOf(latencyCase, runner.name, { note: `not available: ${warm.unavailable}` });
    const outcome = await runner.run(target, latencyCase);
    if ("unavailable" in outcome)
      return rowOf(latencyCase, runner.name, { note: `not available: ${outcome.unavailable}` });
    return rowOf(latencyCase, runner.name, outcome);
  } catch (error) {
    return rowOf(latencyCase, runner.name, {
      note: `failed: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

function rowOf(latencyCase: LatencyCase, client: string, outcome: Partial<LatencyOutcome>): LatencyRow {
  return {
    caseId: latencyCase.id,
    case: latencyCase.label,
    client,
    ackDelayMs: latencyCase.ackDelayMs,
    mode: latencyCase.mode,
    offered: latencyCase.mode === "open" ? (latencyCase.rate ?? null) : null,
    achieved: outcome.achieved ?? null,
    count: outcome.count ?? 0,
    sent: outcome.sent ?? 0,
    percentiles: outcome.percentiles ?? null,
    clientCpuMs: outcome.cpuMs ?? null,
    ...(outcome.note === undefined ? {} : { note: outcome.note }),
  };
}

function summary(row: LatencyRow): string {
  if (row.percentiles === null) return row.note ?? "no figures";
  const p = row.percentiles;
  const rate = row.achieved === null ? "—" : Math.round(row.achieved).toLocaleString("en-US");
  return `${row.count} acked, ${rate} rec/s, p50 ${p.p50.toFixed(2)} p99 ${p.p99.toFixed(2)} max ${p.max.toFixed(2)} ms${row.note === undefined ? "" : ` (${row.note})`}`;
}
