import { parseArgs } from "node:util";
import { countLabel, throughputCases, throughputTargets } from "./cases.js";
import { BASE_SDK_ENV } from "./clients/telemetry-variants.js";
import { formatLatencyTable, latencyTargets, runLatencyWorkload } from "./latency/latency-workload.js";
import { formatMemoryTable, memoryVerdicts } from "./memory/memory-table.js";
import { MEMORY_WORKLOADS, runMemoryWorkloads } from "./memory/memory-workload.js";
import { type BenchRecord, machineFacts, writeResults } from "./results-file.js";
import { ServerProcess } from "./server-process.js";
import { measurePackageSizes } from "./startup/package-size.js";
import { formatStartupTable, startupVerdicts } from "./startup/startup-table.js";
import { runStartupWorkload } from "./startup/startup-workload.js";
import { evaluateTargets, formatTable } from "./table.js";
import { buildBase } from "./telemetry/base-build.js";
import { BEFORE_TELEMETRY, telemetryCases, telemetryTargets } from "./telemetry/telemetry-cases.js";
import { runThroughputCases } from "./throughput-workload.js";
import { type Verdict, verdictLine } from "./verdict.js";

const { values } = parseArgs({
  options: {
    /** The smoke run CI makes: every workload, smaller, fewer rounds. */
    quick: { type: "boolean", default: false },
    rounds: { type: "string" },
    /** Only the memory workload W5 (`pnpm bench:memory`). */
    memory: { type: "boolean", default: false },
    /** Only the start-up workload W6 (`pnpm bench:startup`). */
    startup: { type: "boolean", default: false },
    /** Only the throughput workloads W1–W3 (`pnpm bench:throughput`). */
    throughput: { type: "boolean", default: false },
    /** Only the throughput cases whose label contains this text (e.g. `--cases "16 KB"`), for a look at a few. */
    cases: { type: "string" },
    /** Only the latency workload W4 (`pnpm bench:latency`). */
    latency: { type: "boolean", default: false },
    /** Only W7, what telemetry costs (`pnpm bench:telemetry`). */
    telemetry: { type: "boolean", default: false },
    /** With `--telemetry`: the commit whose SDK the "off" clients are compared with (default: before issue 18). */
    base: { type: "string" },
    /** With `--telemetry`: no base build (on / off only). */
    "no-base": { type: "boolean", default: false },
  },
});
const quick = values.quick;
const rounds = Number(values.rounds ?? (quick ? 1 : 5));
/**
 * Uncounted rounds first: every client's JIT and heap reach their steady state only after a few runs
 * (with one, `stream-js` still took 139–196 ms per 200k singles over the counted rounds, falling).
 */
const warmUpRounds = quick ? 1 : 3;
const only = (["memory", "startup", "throughput", "latency", "telemetry"] as const).find(
  (name) => values[name],
);
const mode = values.cases !== undefined ? "partial" : (only ?? (quick ? "quick" : "full"));
const started = performance.now();
const record: BenchRecord = {
  date: new Date().toISOString(),
  mode,
  ...machineFacts(),
  minutes: 0,
  verdicts: [],
};
const verdicts: Verdict[] = [];
const log = (line: string) => console.log(line);

/** W1–W3: every case's clients interleaved round by round over TLS. */
async function runThroughput(): Promise<void> {
  const cases = throughputCases(quick).filter(
    (c) => values.cases === undefined || c.label.includes(values.cases),
  );
  log(
    `bench W1–W3 (throughput): ${cases.length} cases, each ${warmUpRounds} warm-up + ${rounds} interleaved rounds over TLS; the server and each client in its own process; node ${process.version}`,
  );
  const tls = await ServerProcess.startTls();
  const run = await runThroughputCases(cases, tls, rounds, warmUpRounds, log);
  await tls.stop();
  const outcomes = evaluateTargets(run.results, throughputTargets(cases));
  verdicts.push(...outcomes);
  log("");
  log(formatTable(run.results, outcomes, run.unavailable));
  const caps = cases.flatMap((c) =>
    Object.entries(c.caps)
      .filter(([client]) => c.clients.includes(client))
      .map(([client, n]) => `${client} ${countLabel(n)} on ${c.label}`),
  );
  log(`record counts capped for the slowest clients (their rate is what counts): ${caps.join("; ")}`);
  record.throughput = {
    rounds,
    warmUpRounds,
    cases,
    results: run.results,
    unavailable: Object.fromEntries(run.unavailable),
  };
}

/** W4: call → ack latency, closed and open loop, with and without a server ack delay (see `latency/`). */
async function runLatency(): Promise<void> {
  log(
    "bench W4 (latency): closed loop and open loop at offered rates, server ack delay 0 and 150 ms, over TLS",
  );
  const results = await runLatencyWorkload({ quick, log });
  verdicts.push(...latencyTargets(results));
  log("");
  log(formatLatencyTable(results));
  record.latency = results;
}

/** W5: memory held while every record is unacknowledged, and after the acks (see `memory/`). */
async function runMemory(): Promise<void> {
  log(
    `bench W5 (memory): ${MEMORY_WORKLOADS.map((w) => w.label).join(", ")} in batches of 100, acks withheld then all sent; each client × workload in its own process over TLS`,
  );
  const results = await runMemoryWorkloads(MEMORY_WORKLOADS, log);
  verdicts.push(...memoryVerdicts(results));
  log("");
  log(formatMemoryTable(results));
  record.memory = results;
}

/** W6: a fresh process's import, constructor, createStream and first ack; package size per backend. */
async function runStartup(samples: number): Promise<void> {
  log(
    `bench W6 (start-up): 1 warm-up + ${samples} interleaved samples per client, each a fresh process over TLS`,
  );
  const results = await runStartupWorkload(samples, log);
  const sizes = measurePackageSizes();
  verdicts.push(...startupVerdicts(results));
  log("");
  log(formatStartupTable(results, sizes));
  record.startup = { results, sizes };
}

/**
 * W7's counted rounds in a full run: its targets ask for ratios within 2-5 %, while one client's rounds
 * spread by ±15 % on this 2-core machine (seen in full runs), so the medians take more rounds than W1-W3's.
 */
const TELEMETRY_ROUNDS = 11;

/** W7: telemetry on against off, and off against the SDK before issue 18, interleaved (see `telemetry/`). */
async function runTelemetry(): Promise<void> {
  const telemetryRounds = quick || values.rounds !== undefined ? rounds : TELEMETRY_ROUNDS;
  // The smoke run (CI) leaves the base out: building another commit's SDK is no smoke test.
  const withBase = !values["no-base"] && !quick;
  if (withBase) {
    const base = values.base ?? BEFORE_TELEMETRY;
    process.env[BASE_SDK_ENV] = buildBase(base, log);
    log(`base: the SDK of ${base}, built in its own worktree`);
  }
  const cases = telemetryCases(quick, withBase).filter(
    (c) => values.cases === undefined || c.label.includes(values.cases),
  );
  log(
    `bench W7 (telemetry): ${cases.length} cases, each ${warmUpRounds} warm-up + ${telemetryRounds} interleaved rounds over TLS; clients ${cases[0]?.clients.join(", ")}`,
  );
  const tls = await ServerProcess.startTls();
  const run = await runThroughputCases(cases, tls, telemetryRounds, warmUpRounds, log);
  await tls.stop();
  const outcomes = evaluateTargets(run.results, telemetryTargets(cases, withBase));
  verdicts.push(...outcomes);
  log("");
  log(formatTable(run.results, outcomes, run.unavailable));
  record.telemetry = {
    rounds: telemetryRounds,
    warmUpRounds,
    cases,
    results: run.results,
    unavailable: Object.fromEntries(run.unavailable),
  };
}

if (only === "telemetry") {
  await runTelemetry();
} else if (only === "memory") {
  await runMemory();
} else if (only === "startup") {
  await runStartup(quick ? 3 : 7);
} else if (only === "throughput") {
  await runThroughput();
} else if (only === "latency") {
  await runLatency();
} else {
  await runThroughput();
  log("");
  await runLatency();
  log("");
  if (quick) {
    log("W5 (memory) skipped with --quick: run `pnpm bench:memory` or a full `pnpm bench`.");
  } else {
    await runMemory();
  }
  log("");
  await runStartup(quick ? 3 : 7);
  log("");
  await runTelemetry();
}

record.verdicts = verdicts;
record.minutes = (performance.now() - started) / 60_000;
record.loadAverage = machineFacts().loadAverage;
log("");
log(`targets (${mode} run, ${record.minutes.toFixed(1)} minutes):`);
for (const verdict of verdicts) log(`  ${verdictLine(verdict)}`);
log(`results: ${writeResults(record)}`);
