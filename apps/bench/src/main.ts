import { parseArgs } from "node:util";
import type { WorkloadName } from "./client-process.js";
import { ClientRunner } from "./client-runner.js";
import { ServerProcess } from "./server-process.js";
import { formatTable, type Result } from "./table.js";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, rounds: { type: "string" } },
});
const rounds = Number(values.rounds ?? (values.quick ? 3 : 7));
/** Uncounted rounds first: every client's JIT reaches its steady state only after a few runs. */
const warmUpRounds = 2;
const sizes = { singles: 200_000, batchRecords: 1_000_000, batchSize: 100 };
const workloads: [string, WorkloadName, number][] = [
  ["200k singles", "singles", sizes.singles],
  ["1M in batches of 100", "batches", sizes.batchRecords],
];

const server = await ServerProcess.start();
const clients = await Promise.all(
  ["h2-limit", "grpcjs-floor", "backend-js"].map((name) => ClientRunner.start(name)),
);
const results: Result[] = [];
console.log(
  `bench: 1 warm-up + ${rounds} interleaved rounds; server and each client in its own process; node ${process.version}`,
);
// Round 0 warms every client's JIT and is not counted.
for (let round = 0; round <= rounds; round++) {
  for (const [workloadName, workload, records] of workloads) {
    for (const client of clients) {
      const { ms, cpuMs } = await client.run({ port: server.port, workload, ...sizes });
      const report = await server.report();
      if (report.records < records) {
        throw new Error(
          `${client.name} on ${workloadName}: the server got ${report.records} of ${records} records`,
        );
      }
      if (round > 0) {
        results.push({
          workload: workloadName,
          client: client.name,
          round,
          ms,
          records,
          requests: report.requests,
          clientCpuMs: cpuMs,
          serverCpuMs: report.cpuMs,
        });
      }
      const label = round <= 0 ? "warm-up" : `round ${round}`;
      console.log(
        `  ${label.padEnd(8)} ${workloadName.padEnd(22)} ${client.name.padEnd(13)} ${ms.toFixed(0).padStart(6)} ms`,
      );
    }
  }
}
for (const client of clients) client.stop();
await server.stop();
console.log();
console.log(formatTable(results));
