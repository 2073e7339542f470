import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import type { ThroughputCase } from "./cases.js";
import type { LatencyResults } from "./latency/latency-results.js";
import type { MemoryResult } from "./memory/memory-workload.js";
import type { PackageSizes } from "./startup/package-size.js";
import type { StartupResult } from "./startup/startup-workload.js";
import type { Result } from "./table.js";
import type { Verdict } from "./verdict.js";

/**
 * What one `pnpm bench` run measured, with the machine it ran on: the file the README's tables are
 * generated from (`pnpm bench:readme`). A section is absent when the run skipped its workload.
 */
export interface BenchRecord {
  date: string;
  /** `full`, `quick`, or the one workload run alone (`memory`, `startup`, `latency`). */
  mode: string;
  node: string;
  versions: Record<string, string>;
  nproc: number;
  cpuModel: string;
  /** 1, 5 and 15 minute load averages when the run ended. */
  loadAverage: number[];
  /** Wall time of the whole run. */
  minutes: number;
  throughput?: {
    rounds: number;
    warmUpRounds: number;
    cases: readonly ThroughputCase[];
    results: readonly Result[];
    unavailable: Record<string, string>;
  };
  /** W7: the throughput cases of the telemetry comparison, the same shape as `throughput`. */
  telemetry?: {
    rounds: number;
    warmUpRounds: number;
    cases: readonly ThroughputCase[];
    results: readonly Result[];
    unavailable: Record<string, string>;
  };
  latency?: LatencyResults;
  memory?: readonly MemoryResult[];
  startup?: { results: readonly StartupResult[]; sizes: PackageSizes };
  /** Every target of the run's workloads. */
  verdicts: readonly Verdict[];
}

const require = createRequire(import.meta.url);

/** A package's version as installed for the bench, or why it is not there. */
function versionOf(name: string): string {
  try {
    const path = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

/** The machine and versions of this run, for a {@link BenchRecord}. */
export function machineFacts(): Pick<
  BenchRecord,
  "node" | "versions" | "nproc" | "cpuModel" | "loadAverage"
> {
  return {
    node: process.version,
    versions: Object.fromEntries(
      [
        "@zerobus/sdk",
        "@zerobus/backend-js",
        "@zerobus/backend-native",
        "@grpc/grpc-js",
        "@databricks/zerobus-ingest-sdk-linux-x64-gnu",
      ].map((name) => [name, versionOf(name)]),
    ),
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    loadAverage: loadavg(),
  };
}

/**
 * Writes the run to `results/bench-<timestamp>.json` and `results/bench-latest.json` (under the bench
 * package, git-ignored); returns the path of the latest file.
 */
export function writeResults(record: BenchRecord): string {
  const directory = new URL("../results/", import.meta.url);
  mkdirSync(directory, { recursive: true });
  const text = `${JSON.stringify(record, null, 2)}\n`;
  writeFileSync(new URL(`bench-${record.date.replace(/[:.]/g, "-")}.json`, directory), text);
  const latest = new URL("bench-latest.json", directory);
  writeFileSync(latest, text);
  return latest.pathname;
}
