// Reads vitest's JSON report and prints the counts per project (the folder a test file lives in:
// packages/<name>, apps/<name>, tooling/<name>, as tooling/vitest/projects.ts names projects).
// Writes "<passed> <failed>" to --counts for .ci/run. Exits 1 when the report is missing or a --require'd
// project ran zero tests.
//
//   node .ci/vitest-summary.mjs --report vitest.json --counts counts.txt [--require core ...]

import { readFileSync, writeFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    report: { type: "string" },
    counts: { type: "string" },
    require: { type: "string", multiple: true, default: [] },
    // Every backend runs the whole conformance suite: with this flag, their counts must be equal.
    "conformance-complete": { type: "boolean", default: false },
  },
});

const root = resolve(import.meta.dirname, "..");

/** The project of a test file: the folder under packages/, apps/ or tooling/. */
function projectOf(file) {
  const [group, name] = relative(root, file).split(sep);
  return ["packages", "apps", "tooling"].includes(group) && name ? name : "(root)";
}

let report;
try {
  report = JSON.parse(readFileSync(values.report, "utf8"));
} catch (error) {
  console.log(`vitest: no usable JSON report (${error.message})`);
  writeFileSync(values.counts, "0 0\n");
  process.exit(1);
}

const projects = new Map();
const count = (name) => {
  if (!projects.has(name)) projects.set(name, { passed: 0, failed: 0, skipped: 0 });
  return projects.get(name);
};

for (const file of report.testResults) {
  const counts = count(projectOf(file.name));
  for (const test of file.assertionResults) {
    if (test.status === "passed") counts.passed++;
    else if (test.status === "failed") counts.failed++;
    else counts.skipped++;
  }
  // A file that fails outside any test (an import error, a failing hook) reports no failed test.
  if (file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed")) {
    console.log(`vitest: ${relative(root, file.name)} failed outside its tests: ${file.message}`);
    counts.failed++;
  }
}

for (const name of values.require) count(name);

console.log("vitest per project:");
const total = { passed: 0, failed: 0, skipped: 0 };
for (const [name, counts] of [...projects].sort(([a], [b]) => a.localeCompare(b))) {
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : "";
  console.log(`  ${name.padEnd(20)} ${counts.passed} passed, ${counts.failed} failed${skipped}`);
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
}
if (total.skipped > 0) console.log(`vitest: ${total.skipped} tests skipped or todo (not counted as passed)`);

// Conformance runs: the suite run by a backend package (direct) or by the sdk for each backend (public API).
const conformance = new Map();
for (const file of report.testResults) {
  if (!file.name.endsWith("conformance.test.ts")) continue;
  const project = projectOf(file.name);
  for (const test of file.assertionResults) {
    const backend =
      project === "sdk" ? (test.ancestorTitles[0] ?? "sdk") : `${project.replace(/^backend-/, "")} (direct)`;
    const counts = conformance.get(backend) ?? { passed: 0, failed: 0 };
    if (test.status === "passed") counts.passed++;
    else if (test.status === "failed") counts.failed++;
    conformance.set(backend, counts);
  }
}
console.log("conformance per backend:");
for (const [backend, counts] of conformance)
  console.log(`  ${backend.padEnd(28)} ${counts.passed} passed, ${counts.failed} failed`);
const conformanceEmpty = [...conformance]
  .filter(([, c]) => c.passed + c.failed === 0)
  .map(([backend]) => backend);
for (const backend of conformanceEmpty) console.log(`vitest: conformance on ${backend} ran zero tests`);
const conformanceTotals = new Set([...conformance.values()].map((c) => c.passed + c.failed));
const conformanceDiffers = values["conformance-complete"] && conformanceTotals.size > 1;
if (conformanceDiffers) console.log("vitest: the backends' conformance counts differ");

const empty = values.require.filter((name) => {
  const counts = projects.get(name);
  return counts.passed + counts.failed === 0;
});
for (const name of empty) console.log(`vitest: required project ${name} ran zero tests`);

writeFileSync(values.counts, `${total.passed} ${total.failed}\n`);
process.exit(empty.length === 0 && conformanceEmpty.length === 0 && !conformanceDiffers ? 0 : 1);
