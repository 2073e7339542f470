/**
 * W7 (issue 18): what telemetry costs. Two throughput cases (W1's 200k awaited singles, W2's 1M in batches
 * of 100) with the SDK three ways per backend, interleaved round by round in one run: telemetry off
 * (`sdk-js`), telemetry on with real OpenTelemetry SDK providers (`sdk-js-otel`), and the SDK built from
 * the commit before issue 18 in a worktree of its own (`sdk-js-base`), so that the always-on part
 * (diagnostics_channel, the stream observer calls) is measured against code that had none.
 */
import type { Target, ThroughputCase } from "../cases.js";
import { countLabel } from "../cases.js";

/** The commit before issue 18's first one: the base the "off" clients are compared with. */
export const BEFORE_TELEMETRY = "3f18722";

/** Clients of one backend: off, on, and (with a base build) before. */
function clientsOf(backend: "js" | "native", withBase: boolean): string[] {
  const names = [`sdk-${backend}`, `sdk-${backend}-otel`];
  return withBase ? [...names, `sdk-${backend}-base`] : names;
}

/** The two cases; `quick` shrinks each tenfold (a smoke run). */
export function telemetryCases(quick: boolean, withBase: boolean): ThroughputCase[] {
  const scale = (n: number) => (quick ? Math.max(1, Math.round(n / 10)) : n);
  const clients = [...clientsOf("js", withBase), ...clientsOf("native", withBase)];
  return [
    {
      id: "W1",
      label: `${countLabel(scale(200_000))} singles, telemetry`,
      kind: "singles",
      records: scale(200_000),
      recordBytes: undefined,
      batchSize: 1,
      outstanding: 1,
      clients,
      caps: {},
    },
    {
      id: "W2",
      label: `${countLabel(scale(1_000_000))} in batches of 100, telemetry`,
      kind: "batches",
      records: scale(1_000_000),
      recordBytes: undefined,
      batchSize: 100,
      outstanding: 1,
      clients,
      caps: {},
    },
  ];
}

/**
 * Issue 18's targets: telemetry on costs at most 5 % (on / off ≥ 0.95), and off is not slower than before
 * the issue (off / base, median ratio ≥ 0.98).
 */
export function telemetryTargets(cases: readonly ThroughputCase[], withBase: boolean): Target[] {
  const targets: Target[] = [];
  for (const c of cases) {
    for (const backend of ["js", "native"] as const) {
      const off = `sdk-${backend}`;
      const ratio = (client: string, base: string, atLeast: number): Target => ({
        kind: "ratio",
        id: "W7",
        workload: c.label,
        client,
        base,
        atLeast,
        unit: "rec/s",
      });
      targets.push(ratio(`${off}-otel`, off, 0.95));
      if (withBase) targets.push(ratio(off, `${off}-base`, 0.98));
    }
  }
  return targets;
}
