import { atMost, type Verdict, verdictLine, within } from "../verdict.js";
import type { MemoryFigures } from "./memory-sampler.js";
import type { MemoryResult } from "./memory-workload.js";

type Measured = Extract<MemoryResult, { outcome: "measured" }>;

const MIB = 1_048_576;
const mib = (bytes: number) => (bytes / MIB).toFixed(1);
const signedMib = (bytes: number) => `${bytes >= 0 ? "+" : "−"}${mib(Math.abs(bytes))}`;
/** V8 heap + external (ArrayBuffers are part of external) + our Rust allocator when read. */
const retained = (figures: MemoryFigures) => figures.heapUsed + figures.external + (figures.rustLive ?? 0);
const percentOf = (value: number, base: number) => `${((value / base) * 100).toFixed(0)} %`;

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

/**
 * W5's figures as two Markdown tables. First, per client and workload, idle RSS and the peak RSS above it
 * while every record was unacknowledged (and per record), with what the process held above idle at that
 * moment after a GC: V8 heap, external, our Rust allocator. Second, after every ack + GC, each of those
 * next to its idle figure (and their total once more after the stream closed). Then the target ratios: native / official peak (≤ 1.2×), js against
 * 2 × payload + 64 B per record, and the after-ack totals against idle (within 10 %).
 */
export function formatMemoryTable(results: readonly MemoryResult[]): string {
  const held = [
    row([
      "workload",
      "client",
      "requests",
      "idle RSS MiB",
      "peak RSS above idle MiB",
      "B/record",
      "held above idle: V8 heap MiB",
      "external MiB",
      "Rust MiB",
    ]),
    row(["---", "---", ...Array.from({ length: 7 }, () => "---:")]),
  ];
  const after = [
    row([
      "workload",
      "client",
      "V8 heap MiB idle → after acks",
      "external MiB",
      "arrayBuffers MiB",
      "Rust MiB",
      "heap + external (+ Rust)",
      "same after close",
      "RSS MiB",
    ]),
    row(["---", "---", ...Array.from({ length: 7 }, () => "---:")]),
  ];
  for (const result of results) {
    const { workload, client } = result;
    if (result.outcome === "unavailable") {
      held.push(row([workload.label, client, "not available", "", "", "", "", "", ""]));
      after.push(row([workload.label, client, "not available", "", "", "", "", "", ""]));
      continue;
    }
    const { idle, afterAck } = result;
    const peak = result.peakRssUnacked - idle.rss;
    const rustHeld =
      idle.rustLive === undefined ? "n/a" : signedMib((result.held.rustLive ?? 0) - idle.rustLive);
    held.push(
      row([
        workload.label,
        client,
        String(result.requests),
        mib(idle.rss),
        mib(peak),
        (peak / workload.records).toFixed(0),
        signedMib(result.held.heapUsed - idle.heapUsed),
        signedMib(result.held.external - idle.external),
        rustHeld,
      ]),
    );
    const pair = (from: number, to: number) => `${mib(from)} → ${mib(to)}`;
    after.push(
      row([
        workload.label,
        client,
        pair(idle.heapUsed, afterAck.heapUsed),
        pair(idle.external, afterAck.external),
        pair(idle.arrayBuffers, afterAck.arrayBuffers),
        idle.rustLive === undefined ? "n/a" : pair(idle.rustLive, afterAck.rustLive ?? 0),
        `${pair(retained(idle), retained(afterAck))} (${percentOf(retained(afterAck), retained(idle))})`,
        `${mib(retained(result.afterClose))} (${percentOf(retained(result.afterClose), retained(idle))})`,
        pair(idle.rss, afterAck.rss),
      ]),
    );
  }
  return [
    "While every record was unacknowledged (held: after a GC, at the moment the server had received all):",
    "",
    ...held,
    "",
    "After every ack + GC, against idle (idle: after the stream opened, before ingesting, after a GC):",
    "",
    ...after,
    "",
    ...memoryVerdicts(results).map(verdictLine),
    ...settingsLines(results),
  ].join("\n");
}

/**
 * W5's targets (issue #15), per workload: native / official peak RSS above idle (≤ 1.2), js against 2 ×
 * payload + 64 B per record (≤ 1), and each client's heap + external (+ Rust) after the acks against idle
 * (within 10 %).
 */
export function memoryVerdicts(results: readonly MemoryResult[]): Verdict[] {
  const measured = results.filter((result): result is Measured => result.outcome === "measured");
  const verdicts: Verdict[] = [];
  const peakOf = (result: Measured) => result.peakRssUnacked - result.idle.rss;
  for (const label of new Set(results.map((result) => result.workload.label))) {
    const of = (client: string) => measured.find((r) => r.workload.label === label && r.client === client);
    const official = of("official");
    const native = of("native");
    const js = of("js");
    verdicts.push(
      atMost(
        "W5",
        `${label}: native / official, peak RSS above idle`,
        native && official ? peakOf(native) / peakOf(official) : undefined,
        1.2,
      ),
    );
    const budget = (result: Measured) =>
      2 * result.workload.records * result.workload.recordBytes + 64 * result.workload.records;
    verdicts.push(
      atMost(
        "W5",
        `${label}: js peak RSS above idle / (2 × payload + 64 B per record)`,
        js ? peakOf(js) / budget(js) : undefined,
        1,
      ),
    );
    for (const [client, result] of [
      ["official", official],
      ["native", native],
      ["js", js],
    ] as const) {
      const rust = result?.idle.rustLive === undefined ? "" : " + Rust";
      verdicts.push(
        within(
          "W5",
          `${label}: ${client}, heap + external${rust} after acks + GC / idle`,
          result ? retained(result.afterAck) / retained(result.idle) : undefined,
          0.1,
        ),
      );
    }
  }
  return verdicts;
}

/** The settings each client streamed with (one line per client and workload). */
function settingsLines(results: readonly MemoryResult[]): string[] {
  const measured = results.filter((result): result is Measured => result.outcome === "measured");
  return [
    ...new Set(
      measured.map((result) => `settings, ${result.workload.label}, ${result.client}: ${result.settings}`),
    ),
  ];
}
