import { parseArgs } from "node:util";
import type { WorkloadName } from "./client-process.js";
import { ClientRunner } from "./client-runner.js";
import { formatMemoryTable } from "./memory/memory-table.js";
import { MEMORY_WORKLOADS, runMemoryWorkloads } from "./memory/memory-workload.js";
import { writeResults } from "./results-file.js";
import { ServerProcess } from "./server-process.js";
import { measurePackageSizes } from "./startup/package-size.js";
import { formatStartupTable } from "./startup/startup-table.js";
import { runStartupWorkload } from "./startup/startup-workload.js";
import { evaluateTargets, formatTable, type Result, type Target } from "./table.js";

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
const rounds = Number(values.rounds ?? (values.quick ? 2 : 7));
/** `--quick` is a smoke run (CI runs it): smaller workloads, fewer rounds. */
const sizes = values.quick
  ? { singles: 50_000, batchRecords: 300_000, batchSize: 100 }
  : { singles: 200_000, batchRecords: 1_000_000, batchSize: 100 };
/** Uncounted rounds first: every client's JIT reaches its steady state only after a few runs. */
const warmUpRounds = values.quick ? 1 : 4;
/**
 * Every client of the side-by-side rows, over TLS (the official binary always uses it): the floors, the
 * core stream over each backend's connection (validation off: what the floors compare with), the public
 * SDK on each backend with default options (what users get), and the official SDK awaited and pipelined.
 */
const clientNames = [
  "h2-limit",
  "grpcjs-floor",
  "api-floor",
  "stream-js",
  "stream-native",
  "sdk-js",
  "sdk-native",
  "official",
  "official-pipelined",
];
/** `200k`, `1M`: record counts as the README's tables show them. */
const count = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
const singlesLabel = `${count(sizes.singles)} singles`;
const batchesLabel = `${count(sizes.batchRecords)} in batches of ${sizes.batchSize}`;
const workloads: [string, WorkloadName, number][] = [
  [singlesLabel, "singles", sizes.singles],
  [batchesLabel, "batches", sizes.batchRecords],
];
/** The throughput targets of W1 and W2 (issue #15), as ratios of median rates in this run. */
const targets: Target[] = [
  ...["sdk-js", "sdk-native"].map((client) => ({
    id: "W1",
    workload: singlesLabel,
    client,
    base: "official",
    atLeast: 10,
  })),
  ...["stream-js", "stream-native"].map((client) => ({
    id: "W1",
    workload: singlesLabel,
    client,
    base: "api-floor",
    atLeast: 0.9,
  })),
  ...["sdk-js", "sdk-native"].map((client) => ({
    id: "W2",
    workload: batchesLabel,
    client,
    base: "official",
    atLeast: 1.5,
  })),
];

/** The throughput workloads (singles and batches), every client interleaved round by round, over TLS. */
async function runThroughput(): Promise<void> {
  const tls = await ServerProcess.startTls();
  const { server } = tls;
  // One process per client and workload: a run of a million batched records leaves a heap that slows the
  // next single-record run of the same process, whoever the client.
  const runners = new Map<string, ClientRunner>();
  for (const [, workload] of workloads) {
    for (const name of clientNames) runners.set(`${workload}/${name}`, await ClientRunner.start(name));
  }
  const results: Result[] = [];
  const unavailable = new Map<string, string>();
  const outOfOrder = new Map<string, number>();
  console.log(
    `bench: ${warmUpRounds} warm-up + ${rounds} interleaved rounds over TLS; the server and each client × workload in its own process; node ${process.version}`,
  );
  for (let round = 1 - warmUpRounds; round <= rounds; round++) {
    for (const [workloadName, workload, records] of workloads) {
      for (const name of clientNames) {
        if (unavailable.has(name)) continue;
        const client = runners.get(`${workload}/${name}`) as ClientRunner;
        const outcome = await client.run({
          port: server.port,
          ca: tls.ca,
          caFile: tls.caFile,
          workload,
          ...sizes,
        });
        if ("unavailable" in outcome) {
          unavailable.set(name, outcome.unavailable);
          console.log(`  ${name}: not available (${outcome.unavailable})`);
          continue;
        }
        const { ms, cpuMs } = outcome;
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
          if (outcome.outOfOrder !== undefined) {
            const key = `${workloadName}: ${name}`;
            outOfOrder.set(key, (outOfOrder.get(key) ?? 0) + outcome.outOfOrder);
          }
        }
        const label = round <= 0 ? "warm-up" : `round ${round}`;
        console.log(
          `  ${label.padEnd(8)} ${workloadName.padEnd(22)} ${client.name.padEnd(18)} ${ms.toFixed(0).padStart(6)} ms`,
        );
      }
    }
  }
  for (const runner of runners.values()) runner.stop();
  await tls.stop();
  const outcomes = evaluateTargets(results, targets);
  console.log();
  console.log(formatTable(results, outcomes, unavailable));
  for (const [key, count] of outOfOrder) {
    console.log(`${key}: ${count} call(s) over ${rounds} rounds got an offset out of call order`);
  }
  const file = writeResults({ sizes, rounds, warmUpRounds, results, outcomes, unavailable, outOfOrder });
  console.log(`results: ${file}`);
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
