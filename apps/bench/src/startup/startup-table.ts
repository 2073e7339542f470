import { atMost, type Verdict, verdictLine } from "../verdict.js";
import type { PackageSizes } from "./package-size.js";
import type { StartupSteps } from "./startup-child.js";
import type { StartupMeasure, StartupResult } from "./startup-workload.js";

type Measured = Extract<StartupResult, { outcome: "measured" }>;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

type Figure = (sample: StartupMeasure) => number | undefined;

const step =
  (key: keyof StartupSteps): Figure =>
  (sample) =>
    sample.steps[key];

/** The median of one figure over a client's samples, or undefined when the client does not take that step. */
function medianOf(result: Measured, figure: Figure): number | undefined {
  const values = result.samples.map(figure).filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : median(values);
}

/** `median (min–max)` in ms, one decimal under 100 ms. */
function cell(result: Measured, figure: Figure): string {
  const values = result.samples.map(figure).filter((v): v is number => v !== undefined);
  if (values.length === 0) return "–";
  const digits = (v: number) => v.toFixed(v < 100 ? 1 : 0);
  return `${digits(median(values))} (${digits(Math.min(...values))}–${digits(Math.max(...values))})`;
}

/** From the start of the import to the first acknowledgement (SDK clients only). */
const untilFirstAck: Figure = (s) => sumOf(s.steps, ["importMs", "ctorMs", "createStreamMs", "firstAckMs"]);

const COLUMNS: [string, Figure][] = [
  ["import", step("importMs")],
  ["constructor", step("ctorMs")],
  ["createStream", step("createStreamMs")],
  ["first ack", step("firstAckMs")],
  ["close", step("closeMs")],
  ["import → first ack", untilFirstAck],
  ["node start", step("bootMs")],
  ["process, spawn → exit", (s) => s.wallMs],
];

function sumOf(steps: StartupSteps, keys: (keyof StartupSteps)[]): number | undefined {
  if (steps.createStreamMs === undefined) return undefined;
  return keys.reduce((total, key) => total + (steps[key] ?? 0), 0);
}

/** One client's results when it ran here. */
function measuredOf(results: readonly StartupResult[], name: StartupResult["client"]): Measured | undefined {
  const result = results.find((r) => r.client === name);
  return result?.outcome === "measured" ? result : undefined;
}

/** The ratio of two clients' medians of one figure, when both ran. */
function ratio(a: Measured | undefined, b: Measured | undefined, figure: Figure): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  const top = medianOf(a, figure);
  const bottom = medianOf(b, figure);
  return top === undefined || bottom === undefined ? undefined : top / bottom;
}

/** W6's two targets (issue #15): the SDK's import against grpc-js's, createStream on js against native. */
export function startupVerdicts(results: readonly StartupResult[]): Verdict[] {
  const js = measuredOf(results, "sdk-js");
  return [
    atMost(
      "W6",
      "import of @zerobus/sdk (sdk-js) / bare import of @grpc/grpc-js",
      ratio(js, measuredOf(results, "grpcjs-import"), step("importMs")),
      0.3,
    ),
    atMost(
      "W6",
      "createStream on js / on native",
      ratio(js, measuredOf(results, "sdk-native"), step("createStreamMs")),
      1.5,
    ),
  ];
}

/**
 * W6's figures: per client, the median (min–max, ms) of each step timed inside the fresh process, and of the
 * whole process from spawn to exit; the issue's two target ratios, marked PASS/FAIL; official's figures for
 * reference; and the package sizes per backend.
 */
export function formatStartupTable(results: readonly StartupResult[], sizes: PackageSizes): string {
  const samples = results.find((r): r is Measured => r.outcome === "measured")?.samples.length ?? 0;
  const lines = [
    `W6, ${samples} samples per client (median (min–max) ms, each a fresh process over TLS):`,
    "",
    row(["client", ...COLUMNS.map(([name]) => name)]),
    row(["---", ...COLUMNS.map(() => "---:")]),
  ];
  for (const result of results) {
    if (result.outcome === "unavailable") {
      lines.push(row([result.client, `not available: ${result.reason}`, ...COLUMNS.slice(1).map(() => "")]));
      continue;
    }
    lines.push(row([result.client, ...COLUMNS.map(([, figure]) => cell(result, figure))]));
  }
  const js = measuredOf(results, "sdk-js");
  const native = measuredOf(results, "sdk-native");
  const official = measuredOf(results, "official");
  lines.push("");
  for (const verdict of startupVerdicts(results)) lines.push(verdictLine(verdict));
  const ctorAndCreate: Figure = (s) =>
    s.steps.createStreamMs === undefined ? undefined : (s.steps.ctorMs ?? 0) + s.steps.createStreamMs;
  const both = ratio(js, native, ctorAndCreate);
  if (both !== undefined) {
    lines.push(
      `  for reference, constructor + createStream on js / on native: ${both.toFixed(2)} (native loads its addon in the constructor; js starts importing its backend there and waits for it in createStream)`,
    );
  }
  if (official !== undefined) {
    const reference = (label: string, figure: Figure) => {
      const ours = ratio(js, official, figure);
      const theirs = ratio(native, official, figure);
      const parts = [
        ...(ours === undefined ? [] : [`js ${ours.toFixed(2)}×`]),
        ...(theirs === undefined ? [] : [`native ${theirs.toFixed(2)}×`]),
      ];
      return `${label} ${parts.join(", ")}`;
    };
    lines.push(
      `official (reference): import ${medianOf(official, step("importMs"))?.toFixed(1)} ms, createStream ${medianOf(official, step("createStreamMs"))?.toFixed(1)} ms, first ack ${medianOf(official, step("firstAckMs"))?.toFixed(1)} ms, process ${medianOf(official, (s) => s.wallMs)?.toFixed(0)} ms; against it: ${reference("createStream", step("createStreamMs"))}; ${reference("import → first ack", untilFirstAck)}`,
    );
  } else {
    const result = results.find((r) => r.client === "official");
    if (result?.outcome === "unavailable")
      lines.push(`official (reference): not available: ${result.reason}`);
  }
  lines.push("");
  lines.push(
    "Package size per backend (bytes of the files a user installs, from this install's resolved packages):",
  );
  lines.push("");
  lines.push(row(["what", "packages", "KiB", "MiB"]));
  lines.push(row(["---", "---", "---:", "---:"]));
  for (const group of sizes.groups) {
    const names = [
      ...group.packages.map((p) => `${p.name}@${p.version} (${(p.bytes / 1024).toFixed(0)} KiB)`),
      ...group.extra.map((e) => `${e.label} (${(e.bytes / 1024).toFixed(0)} KiB)`),
    ];
    lines.push(
      row([
        group.label,
        names.join(", ") || "–",
        (group.bytes / 1024).toFixed(0),
        (group.bytes / 1_048_576).toFixed(2),
      ]),
    );
  }
  const [base, jsGroup, nativeGroup] = sizes.groups;
  if (base !== undefined && jsGroup !== undefined && nativeGroup !== undefined) {
    const mib = (bytes: number) => (bytes / 1_048_576).toFixed(2);
    lines.push("");
    lines.push(
      `installed totals: sdk + core ${mib(base.bytes)} MiB; with backend-js ${mib(base.bytes + jsGroup.bytes)} MiB; with backend-native ${mib(base.bytes + nativeGroup.bytes)} MiB; with both ${mib(base.bytes + jsGroup.bytes + nativeGroup.bytes)} MiB`,
    );
  }
  return lines.join("\n");
}
