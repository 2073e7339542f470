import type { ProfileSummary } from "./cpu-profile.js";

const ms = (value: number) => value.toFixed(1).padStart(8);
const percent = (value: number) => `${value.toFixed(1).padStart(5)} %`;

/**
 * The summary as text: the busy and idle time, then the groups, then the `top` heaviest functions, each
 * with its self time in ms and its share of the busy time.
 */
export function formatProfile(summary: ProfileSummary, top = 25): string {
  const lines = [
    `profile: ${summary.totalMs.toFixed(1)} ms, busy ${summary.busyMs.toFixed(1)} ms, idle ${summary.idleMs.toFixed(1)} ms, sampler gaps ${summary.gapMs.toFixed(1)} ms (${summary.samples} samples, ${summary.busySamples} busy)`,
    "",
    "self time by group          ms     of busy",
  ];
  for (const group of summary.groups) {
    lines.push(`  ${group.group.padEnd(24)}${ms(group.ms)}  ${percent(group.percent)}`);
  }
  lines.push("", `top ${top} functions by self time      ms     of busy`);
  for (const fn of summary.functions.slice(0, top)) {
    const where = fn.location === "" ? "" : `  ${fn.location}`;
    lines.push(`  ${ms(fn.ms)}  ${percent(fn.percent)}  ${fn.name} [${fn.group}]${where}`);
  }
  return lines.join("\n");
}
