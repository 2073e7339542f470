import { describe, expect, it } from "vitest";
import { latencyCases } from "./latency-case.js";
import type { LatencyResults, LatencyRow } from "./latency-results.js";
import { formatLatencyTable, latencyTargets } from "./latency-table.js";
import { medianPass } from "./latency-workload.js";

function row(
  client: string,
  caseId: string,
  p99: number,
  achieved: number | null,
  note?: string,
): LatencyRow {
  const latencyCase = latencyCases(false).find((c) => c.id === caseId);
  if (latencyCase === undefined) throw new Error(caseId);
  return {
    caseId,
    case: latencyCase.label,
    client,
    ackDelayMs: latencyCase.ackDelayMs,
    mode: latencyCase.mode,
    offered: latencyCase.rate ?? null,
    achieved,
    count: 100,
    sent: 100,
    percentiles:
      note === undefined ? { p50: p99 / 2, p90: p99 / 1.5, p99, p999: p99 * 1.2, max: p99 * 2 } : null,
    clientCpuMs: 1,
    ...(note === undefined ? {} : { note }),
  };
}

const results: LatencyResults = {
  workload: "W4",
  quick: false,
  clients: ["h2-limit", "sdk-js", "sdk-native", "official"],
  cases: latencyCases(false).filter((c) => c.ackDelayMs === 0),
  rows: [
    row("h2-limit", "open-10000-delay-0", 2, 10_000),
    row("sdk-js", "open-10000-delay-0", 2.5, 10_000),
    row("sdk-native", "open-10000-delay-0", 4, 10_000),
    row("official", "open-10000-delay-0", 0, null, "not available: no binary"),
    row("sdk-js", "open-50000-delay-0", 3, 49_500),
    row("sdk-native", "open-50000-delay-0", 30, 40_000),
    row("official", "open-50000-delay-0", 0, null, "not available: no binary"),
  ],
  wallMs: 1,
  node: "v20",
};

describe("W4 targets", () => {
  it("compares each sdk client's p99 at 10k with h2-limit's, and its achieved rate at 50k with the offer", () => {
    expect(latencyTargets(results).map((t) => [t.what, t.value, t.verdict])).toEqual([
      ["10k rec/s, ack delay 0 ms: sdk-js p99 / h2-limit p99", 1.25, "PASS"],
      ["10k rec/s, ack delay 0 ms: sdk-native p99 / h2-limit p99", 2, "FAIL"],
      ["50k rec/s, ack delay 0 ms: sdk-js achieved / offered", 0.99, "PASS"],
      ["50k rec/s, ack delay 0 ms: sdk-native achieved / offered", 0.8, "FAIL"],
    ]);
  });

  it("says 'not available' for a case the run did not have", () => {
    const quick = { ...results, rows: results.rows.filter((r) => r.offered !== 50_000) };
    expect(latencyTargets(quick).filter((t) => t.verdict === "not available")).toHaveLength(2);
  });

  it("prints a row per case and client, one line for a client absent throughout, then the targets", () => {
    const table = formatLatencyTable(results);
    expect(table).toContain(
      "| 10k rec/s, ack delay 0 ms | sdk-js | 10,000 | 10,000 | 1.00× | 1.25 | 1.67 | 2.50 | 3.00 | 5.00 |",
    );
    expect(table).toContain("| (all) | official | not available: no binary |");
    expect(table).toContain(
      "W4 10k rec/s, ack delay 0 ms: sdk-js p99 / h2-limit p99 = 1.25× (target ≤ 1.5) PASS",
    );
    expect(table).toContain(
      "W4 50k rec/s, ack delay 0 ms: sdk-native achieved / offered = 0.80× (target ≥ 0.95) FAIL",
    );
  });
});

describe("a case in several passes", () => {
  it("shows the pass with the median p99, and every pass's p99", () => {
    const passes = [12, 3, 5].map((p99) => row("sdk-js", "open-10000-delay-0", p99, 10_000));
    const chosen = medianPass(passes);
    expect(chosen.percentiles?.p99).toBe(5);
    expect(chosen.p99OfPasses).toEqual([12, 3, 5]);
    expect(formatLatencyTable({ ...results, rows: [chosen] })).toContain(
      "| 10k rec/s, ack delay 0 ms (median of 3 passes by p99: 12.0, 3.00, 5.00 ms) | sdk-js |",
    );
  });
});
