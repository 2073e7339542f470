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
    ...targets(results),
  ].join("\n");
}

function targets(results: readonly MemoryResult[]): string[] {
  const measured = results.filter((result): result is Measured => result.outcome === "measured");
  const lines: string[] = [];
  const peakOf = (result: Measured) => result.peakRssUnacked - result.idle.rss;
  for (const label of new Set(results.map((result) => result.workload.label))) {
    const of = (client: string) => measured.find((r) => r.workload.label === label && r.client === client);
    const official = of("official");
    const native = of("native");
    const js = of("js");
    if (native && official) {
      const ratio = peakOf(native) / peakOf(official);
      lines.push(
        `${label}: native / official peak RSS above idle: ${ratio.toFixed(2)}× (target ≤ 1.2) ${ratio <= 1.2 ? "ok" : "MISSED"}`,
      );
    } else {
      lines.push(
        `${label}: native / official: not available (${!official ? "official" : "native"} did not run)`,
      );
    }
    if (js) {
      const budget = 2 * js.workload.records * js.workload.recordBytes + 64 * js.workload.records;
      const ratio = peakOf(js) / budget;
      lines.push(
        `${label}: js peak RSS above idle / (2 × payload + 64 B/record = ${mib(budget)} MiB): ${ratio.toFixed(2)}× (target ≤ 1.0) ${ratio <= 1 ? "ok" : "MISSED"}`,
      );
    }
    for (const result of [official, native, js]) {
      if (!result) continue;
      const share = retained(result.afterAck) / retained(result.idle);
      lines.push(
        `${label}: ${result.client} after acks + GC, heap + external${result.idle.rustLive === undefined ? "" : " + Rust"}: ${(share * 100).toFixed(0)} % of idle (target within 10 %) ${Math.abs(share - 1) <= 0.1 ? "ok" : "MISSED"}`,
      );
    }
  }
  const settings = new Set(
    measured.map((result) => `settings, ${result.workload.label}, ${result.client}: ${result.settings}`),
  );
  lines.push(...settings);
  return lines;
}
