import { describe, expect, it } from "vitest";
import type { DemoResult } from "./summary.js";
import { findProblems, formatSummary, RESULT_PREFIX, resultLine } from "./summary.js";

const counts = { requested: 100, accepted: 100, acknowledged: 100, serverCount: 100, interrupted: false };

const result = (overrides: Partial<DemoResult> = {}): DemoResult => ({
  backend: "js",
  target: "mock",
  tableName: "main.demo.sensor_readings",
  ...counts,
  resent: 0,
  seconds: 0.5,
  recordsPerSecond: 200,
  megabytesPerSecond: 0.1,
  latencyP50Ms: 3,
  latencyP99Ms: 9,
  problems: [],
  ...overrides,
});

describe("findProblems", () => {
  it("accepts a run where accepted = acknowledged = server count = requested", () => {
    expect(findProblems(counts)).toEqual([]);
    expect(findProblems({ ...counts, serverCount: undefined })).toEqual([]);
  });

  it("names each disagreement", () => {
    expect(findProblems({ ...counts, accepted: 90, acknowledged: 80, serverCount: 95 })).toEqual([
      "accepted 90 of 100 records",
      "acknowledged 80 of 90 accepted records",
      "the server holds 95 records, 90 were accepted",
    ]);
  });

  it("lets an interrupted run stop short, but not lose acknowledgements", () => {
    expect(
      findProblems({ ...counts, accepted: 40, acknowledged: 40, serverCount: 40, interrupted: true }),
    ).toEqual([]);
    expect(
      findProblems({ ...counts, accepted: 40, acknowledged: 30, serverCount: 40, interrupted: true }),
    ).toEqual(["acknowledged 30 of 40 accepted records"]);
  });
});

describe("output", () => {
  it("ends with a DEMO_RESULT line that parses back", () => {
    const line = resultLine(result({ target: "workspace", serverCount: undefined }));
    expect(line.startsWith(RESULT_PREFIX)).toBe(true);
    expect(JSON.parse(line.slice(RESULT_PREFIX.length))).toMatchObject({
      accepted: 100,
      acknowledged: 100,
      serverCount: null,
      ok: true,
    });
  });

  it("says what failed", () => {
    const text = formatSummary(result({ problems: ["acknowledged 1 of 2 accepted records"] }));
    expect(text).toContain("FAILED: acknowledged 1 of 2 accepted records");
    expect(JSON.parse(resultLine(result({ problems: ["x"] })).slice(RESULT_PREFIX.length)).ok).toBe(false);
  });

  it("shows counts, throughput and latency", () => {
    const text = formatSummary(result({ accepted: 1_000_000, recordsPerSecond: 250_123.4 }));
    expect(text).toMatch(/records accepted\s+1,000,000/);
    expect(text).toMatch(/server count\s+100/);
    expect(text).toMatch(/throughput\s+250,123 records\/s/);
    expect(text).toMatch(/ack latency\s+p50 3\.0 ms, p99 9\.0 ms/);
  });
});
