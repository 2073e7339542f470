import type { ThroughputCase } from "./cases.js";
import { ClientRunner } from "./client-runner.js";
import type { TlsBenchServer } from "./server-process.js";
import type { Result } from "./table.js";

/** What the throughput cases measured: every counted run, and the clients that cannot run here. */
export interface ThroughputRun {
  rounds: number;
  warmUpRounds: number;
  cases: readonly ThroughputCase[];
  results: Result[];
  unavailable: Map<string, string>;
}

/**
 * Runs each case in turn: its clients each in a process of their own (started for the case and ended
 * after it, so that a million batched records never weigh on another case, and no more than one case's
 * processes live at once), interleaved round by round, `warmUpRounds` uncounted first. Every run must
 * deliver all its records to the server.
 */
export async function runThroughputCases(
  cases: readonly ThroughputCase[],
  tls: TlsBenchServer,
  rounds: number,
  warmUpRounds: number,
  log: (line: string) => void,
): Promise<ThroughputRun> {
  const { server } = tls;
  const results: Result[] = [];
  const unavailable = new Map<string, string>();
  for (const c of cases) {
    const runners: ClientRunner[] = [];
    for (const name of c.clients) {
      if (!unavailable.has(name)) runners.push(await ClientRunner.start(name));
    }
    for (let round = 1 - warmUpRounds; round <= rounds; round++) {
      for (const client of runners) {
        if (unavailable.has(client.name)) continue;
        const records = c.caps[client.name] ?? c.records;
        const outcome = await client.run({
          port: server.port,
          ca: tls.ca,
          caFile: tls.caFile,
          workload: {
            kind: c.kind,
            records,
            recordBytes: c.recordBytes,
            batchSize: c.batchSize,
            outstanding: c.outstanding,
          },
        });
        if ("unavailable" in outcome) {
          unavailable.set(client.name, outcome.unavailable);
          log(`  ${client.name}: not available (${outcome.unavailable})`);
          continue;
        }
        const report = await server.report();
        if (report.records < records) {
          throw new Error(
            `${client.name} on ${c.label}: the server got ${report.records} of ${records} records`,
          );
        }
        if (round > 0) {
          results.push({
            workload: c.label,
            client: client.name,
            round,
            ms: outcome.ms,
            records,
            payloadBytes: outcome.payloadBytes,
            requests: report.requests,
            clientCpuMs: outcome.cpuMs,
            serverCpuMs: report.cpuMs,
            ...(outcome.outOfOrder === undefined ? {} : { outOfOrder: outcome.outOfOrder }),
          });
        }
        const label = round <= 0 ? "warm-up" : `round ${round}`;
        log(
          `  ${label.padEnd(8)} ${c.label.padEnd(34)} ${client.name.padEnd(18)} ${outcome.ms.toFixed(0).padStart(6)} ms`,
        );
      }
    }
    await Promise.all(runners.map((runner) => runner.stopAndWait()));
  }
  return { rounds, warmUpRounds, cases, results, unavailable };
}
