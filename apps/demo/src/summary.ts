/** What one run did; the last line of the output carries it as JSON. */
export interface DemoResult {
  backend: "js" | "native";
  /** `mock` (embedded) or `workspace`. */
  target: "mock" | "workspace";
  tableName: string;
  requested: number;
  accepted: number;
  acknowledged: number;
  /** The mock server's own count; undefined for a workspace. */
  serverCount: number | undefined;
  /** Records re-sent after a recovery (the duplicates the table may hold). */
  resent: number;
  seconds: number;
  recordsPerSecond: number;
  megabytesPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  interrupted: boolean;
  /** Why the run is not a success (empty when it is). */
  problems: string[];
}

/** The prefix of the machine-readable last line (CI parses it). */
export const RESULT_PREFIX = "DEMO_RESULT ";

/**
 * What is wrong with a run: every record accepted must be acknowledged, the mock server must hold exactly
 * what was sent (no recovery: nothing re-sent), and an uninterrupted run must send every record.
 */
export function findProblems(
  result: Pick<DemoResult, "requested" | "accepted" | "acknowledged" | "serverCount" | "interrupted">,
): string[] {
  const problems: string[] = [];
  if (!result.interrupted && result.accepted !== result.requested) {
    problems.push(`accepted ${result.accepted} of ${result.requested} records`);
  }
  if (result.acknowledged !== result.accepted) {
    problems.push(`acknowledged ${result.acknowledged} of ${result.accepted} accepted records`);
  }
  if (result.serverCount !== undefined && result.serverCount !== result.accepted) {
    problems.push(`the server holds ${result.serverCount} records, ${result.accepted} were accepted`);
  }
  return problems;
}

const number = new Intl.NumberFormat("en-US");
const fixed = (value: number, digits: number) => value.toFixed(digits);

/** The human-readable summary. */
export function formatSummary(result: DemoResult): string {
  const where =
    result.target === "mock"
      ? `embedded mock server (${result.tableName})`
      : `workspace table ${result.tableName}`;
  const rows: [string, string][] = [
    ["backend", result.backend],
    ["target", where],
    ["records accepted", `${number.format(result.accepted)}${result.interrupted ? " (interrupted)" : ""}`],
    ["acknowledged", number.format(result.acknowledged)],
  ];
  if (result.serverCount !== undefined) rows.push(["server count", number.format(result.serverCount)]);
  if (result.resent > 0) rows.push(["re-sent", `${number.format(result.resent)} (after recoveries)`]);
  rows.push(
    ["time", `${fixed(result.seconds, 2)} s`],
    [
      "throughput",
      `${number.format(Math.round(result.recordsPerSecond))} records/s (${fixed(result.megabytesPerSecond, 1)} MB/s)`,
    ],
    [
      "ack latency",
      `p50 ${fixed(result.latencyP50Ms, 1)} ms, p99 ${fixed(result.latencyP99Ms, 1)} ms (per ingest call, accepted → acknowledged)`,
    ],
  );
  const lines = rows.map(([label, value]) => `  ${label.padEnd(18)}${value}`);
  const verdict =
    result.problems.length === 0
      ? result.interrupted
        ? "interrupted: everything accepted was acknowledged"
        : "ok: every record was acknowledged"
      : `FAILED: ${result.problems.join("; ")}`;
  return ["", "Summary", ...lines, `  ${verdict}`].join("\n");
}

/** The machine-readable line: `DEMO_RESULT {"accepted":…,"acknowledged":…,"serverCount":…,…}`. */
export function resultLine(result: DemoResult): string {
  const { problems: _problems, ...fields } = result;
  return `${RESULT_PREFIX}${JSON.stringify({ ...fields, serverCount: fields.serverCount ?? null, ok: result.problems.length === 0 })}`;
}
