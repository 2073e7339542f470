import { execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { BenchRecord } from "../results-file.js";
import { README, README_RESULTS } from "./readme-files.js";
import { renderSections, replaceSections } from "./readme-sections.js";

/**
 * `pnpm bench:readme [file]`: regenerates the README's tables from one results file (by default the latest
 * run's) and keeps a copy of that file next to the README (`readme-results.json`, committed), from which a
 * test checks that the tables were not edited by hand. Only a full run may fill the README, unless
 * `--partial` says otherwise.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { partial: { type: "boolean", default: false } },
});
const source = positionals[0] ?? new URL("../../results/bench-latest.json", import.meta.url).pathname;
const record = JSON.parse(readFileSync(source, "utf8")) as BenchRecord;
if (record.mode !== "full" && !values.partial) {
  throw new Error(
    `${source} is a ${record.mode} run: the README's tables come from a full \`pnpm bench\` run`,
  );
}
// Regenerating from the kept file itself (after a change of the tables' layout) copies nothing.
if (new URL(`file://${resolve(source)}`).pathname !== README_RESULTS.pathname)
  copyFileSync(source, README_RESULTS);
writeFileSync(README, replaceSections(readFileSync(README, "utf8"), renderSections(record)));
// The repository's formatter pads the tables (`pnpm lint` checks the README too); the test compares the
// sections by meaning, so its padding is no difference.
execFileSync("pnpm", ["exec", "biome", "format", "--write", README.pathname, README_RESULTS.pathname], {
  stdio: "inherit",
});
console.log(`README tables regenerated from ${source} (kept as ${README_RESULTS.pathname})`);
