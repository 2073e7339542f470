import { parseArgs } from "node:util";
import { runBackendJs } from "./clients/backend-js.js";
import { runGrpcjsFloor } from "./clients/grpcjs-floor.js";
import { runH2Limit } from "./clients/h2-limit.js";
import { batchesOf, makeRecords } from "./records.js";
import { ServerProcess } from "./server-process.js";
import { formatTable, type Result } from "./table.js";
import type { Workload } from "./workload.js";
import { recordCount } from "./workload.js";

const clients = {
  "h2-limit": runH2Limit,
  "grpcjs-floor": runGrpcjsFloor,
  "backend-js": runBackendJs,
} as const;

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, rounds: { type: "string" } },
});
const rounds = Number(values.rounds ?? (values.quick ? 3 : 7));
/**
 * Each run's records are made just before it (outside the timing) and dropped after it, so no run carries
 * the other workload's million records in its heap: garbage collection stays a cost of the client itself.
 */
const workloads: Record<string, () => Workload> = {
  "200k singles": () => ({ kind: "singles", records: makeRecords(200_000) }),
  "1M in batches of 100": () => ({ kind: "batches", batches: batchesOf(makeRecords(1_000_000), 100) }),
};

const server = await ServerProcess.start();
const results: Result[] = [];
console.log(
  `bench: 1 warm-up + ${rounds} interleaved rounds, server in its own process, node ${process.version}`,
);
// Round 0 warms the JIT of every client and is not counted.
for (let round = 0; round <= rounds; round++) {
  for (const [workloadName, makeWorkload] of Object.entries(workloads)) {
    for (const [clientName, run] of Object.entries(clients)) {
      const workload = makeWorkload();
      const { ms, cpuMs } = await run(server.port, workload);
      const report = await server.report();
      const expected = recordCount(workload);
      if (report.records < expected) {
        throw new Error(
          `${clientName} on ${workloadName}: the server got ${report.records} of ${expected} records`,
        );
      }
      if (round > 0)
        results.push({
          workload: workloadName,
          client: clientName,
          round,
          ms,
          records: expected,
          requests: report.requests,
          clientCpuMs: cpuMs,
          serverCpuMs: report.cpuMs,
        });
      console.log(
        `  round ${round} ${workloadName.padEnd(22)} ${clientName.padEnd(13)} ${ms.toFixed(0).padStart(6)} ms`,
      );
    }
  }
}
await server.stop();
console.log();
console.log(formatTable(results));
