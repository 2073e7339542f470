import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, loadavg } from "node:os";
import type { Result, TargetOutcome } from "./table.js";

/** What one `pnpm bench` throughput run measured, with the machine it ran on. */
export interface RunRecord {
  sizes: { singles: number; batchRecords: number; batchSize: number };
  rounds: number;
  warmUpRounds: number;
  results: readonly Result[];
  outcomes: readonly TargetOutcome[];
  unavailable: ReadonlyMap<string, string>;
  outOfOrder: ReadonlyMap<string, number>;
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

/**
 * Writes the run to `results/throughput-<timestamp>.json` and `results/throughput-latest.json` (under the
 * bench package), with versions, `nproc`, the CPU model and the load average at the end; returns the path
 * of the latest file.
 */
export function writeResults(run: RunRecord): string {
  const directory = new URL("../results/", import.meta.url);
  mkdirSync(directory, { recursive: true });
  const record = {
    date: new Date().toISOString(),
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
    ...run,
    unavailable: Object.fromEntries(run.unavailable),
    outOfOrder: Object.fromEntries(run.outOfOrder),
  };
  const text = `${JSON.stringify(record, null, 2)}\n`;
  writeFileSync(new URL(`throughput-${record.date.replace(/[:.]/g, "-")}.json`, directory), text);
  const latest = new URL("throughput-latest.json", directory);
  writeFileSync(latest, text);
  return latest.pathname;
}
