import { formatLatencyTable } from "../latency/latency-table.js";
import { formatMemoryTable } from "../memory/memory-table.js";
import type { BenchRecord } from "../results-file.js";
import { formatStartupTable } from "../startup/startup-table.js";
import { formatTable } from "../table.js";
import { shownValue, verdictLine } from "../verdict.js";

/**
 * The README's generated sections: each lies between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` and
 * is rendered from one results file (`pnpm bench:readme`), so that the tables say what one run measured and
 * nothing else. The prose around them (what each figure means, why a target is missed) is written by hand.
 */
export type SectionName =
  | "machine"
  | "throughput"
  | "latency"
  | "memory"
  | "startup"
  | "telemetry"
  | "targets";

const fence = (name: string) => [`<!-- bench:${name} -->`, `<!-- /bench:${name} -->`] as const;

/** Every section the record has, as Markdown. */
export function renderSections(record: BenchRecord): Partial<Record<SectionName, string>> {
  const sections: Partial<Record<SectionName, string>> = {};
  const versions = Object.entries(record.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(", ");
  sections.machine = [
    `One \`pnpm bench\` run (${record.mode}) of ${record.date.slice(0, 16).replace("T", " ")} UTC, ${record.minutes.toFixed(1)} minutes: Node ${record.node}, ${record.nproc} × ${record.cpuModel}, load average ${record.loadAverage.map((l) => l.toFixed(2)).join(" / ")} at the end.`,
    `Versions: ${versions}.`,
  ].join("\n");
  if (record.throughput !== undefined) {
    const { throughput } = record;
    sections.throughput = [
      `Medians of ${throughput.rounds} rounds after ${throughput.warmUpRounds} warm-up rounds.`,
      "",
      formatTable(
        throughput.results,
        record.verdicts.filter((v) => ["W1", "W2", "W3"].includes(v.id)),
        new Map(Object.entries(throughput.unavailable)),
      ),
    ].join("\n");
  }
  if (record.latency !== undefined) sections.latency = formatLatencyTable(record.latency);
  if (record.memory !== undefined) sections.memory = formatMemoryTable(record.memory);
  if (record.startup !== undefined) {
    sections.startup = formatStartupTable(record.startup.results, record.startup.sizes);
  }
  if (record.telemetry !== undefined) {
    const { telemetry } = record;
    sections.telemetry = [
      `Medians of ${telemetry.rounds} rounds after ${telemetry.warmUpRounds} warm-up rounds.`,
      "",
      formatTable(
        telemetry.results,
        record.verdicts.filter((v) => v.id === "W7"),
        new Map(Object.entries(telemetry.unavailable)),
      ),
    ].join("\n");
  }
  sections.targets = [
    "| id | what | measured | target | verdict |",
    "|---|---|--:|---|---|",
    ...record.verdicts.map((v) => `| ${v.id} | ${v.what} | ${shownValue(v)} | ${v.target} | ${v.verdict} |`),
  ].join("\n");
  return sections;
}

/**
 * `text` with each named section's content replaced (the fences stay). A section the text has no fences
 * for is an error: the README and the generator must agree.
 */
export function replaceSections(text: string, sections: Partial<Record<SectionName, string>>): string {
  let result = text;
  for (const [name, content] of Object.entries(sections)) {
    const [open, close] = fence(name);
    const start = result.indexOf(open);
    const end = result.indexOf(close);
    if (start < 0 || end < start) throw new Error(`the README has no ${open} … ${close} section`);
    result = `${result.slice(0, start + open.length)}\n\n${content}\n\n${result.slice(end)}`;
  }
  return result;
}

/** The content of each fenced section of `text` (what {@link replaceSections} wrote), by name. */
export function readSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const match of text.matchAll(/<!-- bench:([a-z]+) -->\n([\s\S]*?)<!-- \/bench:\1 -->/g)) {
    sections.set(match[1] as string, (match[2] as string).trim());
  }
  return sections;
}

/**
 * Markdown as far as its meaning goes: lines and table cells trimmed, column alignments reduced to their colons,
 * trailing spaces and blank-line runs dropped. The README's formatter (Biome) pads table columns; what
 * the generator wrote and what the formatter made of it compare equal.
 */
export function normalizeMarkdown(text: string): string {
  const lines = text.split("\n").map((line) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith("|")) return trimmed;
    const cells = trimmed
      .slice(1, trimmed.endsWith("|") ? -1 : undefined)
      .split("|")
      .map((cell) => cell.trim())
      .map((cell) => (/^:?-+:?$/.test(cell) ? cell.replace(/-+/, "-") : cell));
    return `|${cells.join("|")}|`;
  });
  return lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Each verdict as a line, for the console. */
export function verdictLines(record: BenchRecord): string[] {
  return record.verdicts.map(verdictLine);
}
