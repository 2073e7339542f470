import { parseArgs } from "node:util";
import type { WorkloadName } from "./client-process.js";
import { ClientRunner } from "./client-runner.js";
import { formatMemoryTable } from "./memory/memory-table.js";
import { MEMORY_WORKLOADS, runMemoryWorkloads } from "./memory/memory-workload.js";
import { ServerProcess } from "./server-process.js";
import { measurePackageSizes } from "./startup/package-size.js";
import { formatStartupTable } from "./startup/startup-table.js";
import { runStartupWorkload } from "./startup/startup-workload.js";
import { formatTable, type Result } from "./table.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    /** Only the memory workload W5 (`pnpm bench:memory`). */
    memory: { type: "boolean", default: false },
    /** Only the start-up workload W6 (`pnpm bench:startup`). */
    startup: { type: "boolean", default: false },
  },
});
const rounds = Number(values.rounds ?? (values.quick ? 3 : 7));
/** Uncounted rounds first: every client's JIT reaches its steady state only after a few runs. */
const warmUpRounds = 4;
const sizes = { singles: 200_000, batchRecords: 1_000_000, batchSize: 100 };
const clientNames = ["h2-limit", "grpcjs-floor", "backend-js", "api-floor", "worker-floor"];
/** The public SDK with object records (see `clients/sdk.ts`): single records only. */
const sdkClientNames = ["sdk-objects", "sdk-reparse"];
const workloads: [string, WorkloadName, number, string[]][] = [
  ["200k singles", "singles", sizes.singles, [...clientNames, ...sdkClientNames]],
  ["1M in batches of 100", "batches", sizes.batchRecords, clientNames],
];

/** The throughput workloads (singles and batches), interleaved round by round. */
async function runThroughput(): Promise<void> {
  const server = await ServerProcess.start();
  // One process per client and workload: a run of a million batched records leaves a heap that slows the
  // next single-record run of the same process, whoever the client.
  const runners = new Map<string, ClientRunner>();
  for (const [, workload, , names] of workloads) {
    for (const name of names) runners.set(`${workload}/${name}`, await ClientRunner.start(name));
  }
  const results: Result[] = [];
  console.log(
    `bench: ${warmUpRounds} warm-up + ${rounds} interleaved rounds; the server and each client × workload in its own process; node ${process.version}`,
  );
  for (let round = 1 - warmUpRounds; round <= rounds; round++) {
    for (const [workloadName, workload, records, names] of workloads) {
      for (const name of names) {
        const client = runners.get(`${workload}/${name}`) as ClientRunner;
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
  for (const runner of runners.values()) runner.stop();
  await server.stop();
  console.log();
  console.log(formatTable(results));
}

/** W5: memory held while every record is unacknowledged, and after the acks (see `memory/`). */
async function runMemory(): Promise<void> {
  console.log(
    `bench W5 (memory): ${MEMORY_WORKLOADS.map((w) => w.label).join(", ")} in batches of 100, acks withheld then all sent; each client × workload in its own process over TLS`,
  );
  const memoryResults = await runMemoryWorkloads(MEMORY_WORKLOADS, (line) => console.log(line));
  console.log();
  console.log(formatMemoryTable(memoryResults));
}

/** W6: a fresh process's import, constructor, createStream and first ack; package size per backend. */
async function runStartup(samples: number): Promise<void> {
  console.log(
    `bench W6 (start-up): 1 warm-up + ${samples} interleaved samples per client, each a fresh process over TLS`,
  );
  const results = await runStartupWorkload(samples, (line) => console.log(line));
  console.log();
  console.log(formatStartupTable(results, measurePackageSizes()));
}

if (values.startup) {
  await runStartup(values.quick ? 3 : 7);
} else {
  if (!values.memory) await runThroughput();
  if (values.memory || !values.quick) {
    if (!values.memory) console.log();
    await runMemory();
  } else {
    console.log();
    console.log("W5 (memory) skipped with --quick: run `pnpm bench:memory` or a full `pnpm bench`.");
  }
  if (!values.memory) {
    console.log();
    await runStartup(values.quick ? 3 : 7);
  }
}
