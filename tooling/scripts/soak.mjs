#!/usr/bin/env node
// `pnpm soak [--runs N] [--seed SEED[:PATH]]`: the conformance suite's seeded soak, long, on each backend
// directly and through @zerobus/sdk (native where its addon is built). CI runs 50 schedules per path; this
// runs 1,000 by default. A failure prints the seed to replay it with (`--seed`, or ZEROBUS_SOAK_SEED for a
// single vitest run).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "1000" }, seed: { type: "string" } },
});
if (!/^[1-9]\d*$/.test(values.runs)) {
  console.error(`--runs must be a positive integer, got ${JSON.stringify(values.runs)}`);
  process.exit(2);
}
const env = { ...process.env, ZEROBUS_SOAK_RUNS: values.runs };
if (values.seed !== undefined) env.ZEROBUS_SOAK_SEED = values.seed;
// backend-native's own run only where its addon was built (the sdk's run skips native by itself then).
const addonDir = new URL("../../packages/backend-native/addon/", import.meta.url);
const nativeBuilt = readdirSync(addonDir).some((name) => name.endsWith(".node"));
const projects = ["backend-js", ...(nativeBuilt ? ["backend-native"] : []), "sdk"].flatMap((project) => [
  "--project",
  project,
]);
const args = ["exec", "vitest", "run", ...projects, "-t", "seeded soak"];
// One vitest test holds all runs of a path; a long soak needs more than its CI timeout.
env.ZEROBUS_SOAK_TIMEOUT_MS = String(Math.max(600_000, Number(values.runs) * 10_000));
const result = spawnSync("pnpm", args, { stdio: "inherit", env });
process.exit(result.status ?? 1);
