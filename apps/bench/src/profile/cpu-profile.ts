/**
 * The parts of a V8 CPU profile (`Profiler.stop()` of `node:inspector`, the `.cpuprofile` format) that a
 * self-time summary reads: the call tree's nodes and, in time order, which node each sample hit and the
 * microseconds since the previous sample.
 */
export interface CpuProfile {
  nodes: readonly CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: readonly number[];
  timeDeltas?: readonly number[];
}

export interface CpuProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    url: string;
    /** 0-based, -1 when unknown. */
    lineNumber: number;
    columnNumber: number;
  };
  hitCount?: number;
  children?: readonly number[];
}

/**
 * Where a function's code comes from, for the by-package lines: our packages by folder, grpc-js, Node's own
 * JavaScript (and the C++ it calls), the addon's napi functions as called from backend-native, and V8's
 * pseudo-frames (`(garbage collector)`; `(program)`: native code with no JS frame on the stack, i.e. the
 * addon's callbacks into JS, libuv, V8 itself; `(idle)`: the thread waited for I/O).
 */
export type CodeGroup =
  | "core internal"
  | "core"
  | "backend-js"
  | "backend-native (TS)"
  | "sdk"
  | "bench"
  | "grpc-js"
  | "protobuf"
  | "other node_modules"
  | "node internals"
  | "GC"
  | "native addon (napi)"
  | "program (no JS on stack)"
  | "idle"
  | "other";

/** The group a call frame's code belongs to (see {@link CodeGroup}). */
export function groupOf(functionName: string, url: string): CodeGroup {
  if (url === "") {
    if (functionName === "(garbage collector)") return "GC";
    if (functionName === "(program)") return "program (no JS on stack)";
    if (functionName === "(idle)") return "idle";
    // `(root)`, and builtins V8 reports without a script.
    return "node internals";
  }
  if (url.startsWith("node:")) return "node internals";
  const path = url.replace(/\\/g, "/");
  if (path.includes("/@grpc/grpc-js/")) return "grpc-js";
  if (path.includes("/@bufbuild/protobuf/")) return "protobuf";
  // Our workspace packages, reached through a symlink or by their real path alike.
  if (/\/(packages\/core|@zerobus\/core)\/(dist|src)\/internal\//.test(path)) return "core internal";
  if (/\/(packages\/core|@zerobus\/core)\//.test(path)) return "core";
  if (/\/(packages\/backend-js|@zerobus\/backend-js)\//.test(path)) return "backend-js";
  if (/\/(packages\/backend-native|@zerobus\/backend-native)\//.test(path)) return "backend-native (TS)";
  if (/\/(packages\/sdk|@zerobus\/sdk)\//.test(path)) return "sdk";
  if (path.includes("/apps/bench/")) return "bench";
  if (path.includes("/node_modules/")) return "other node_modules";
  return "other";
}

/** The JavaScript caller of a native function (a frame with no script, not a pseudo-frame). */
function nativeCaller(node: CpuProfileNode, parent: CpuProfileNode | undefined): CpuProfileNode | undefined {
  const { functionName, url } = node.callFrame;
  if (url !== "" || functionName.startsWith("(") || parent === undefined) return undefined;
  return parent.callFrame.url === "" ? undefined : parent;
}

/** A native function called from our native backend is the addon; else Node's or V8's own. */
function nativeGroup(caller: CpuProfileNode): CodeGroup {
  const group = groupOf(caller.callFrame.functionName, caller.callFrame.url);
  return group === "backend-native (TS)" ? "native addon (napi)" : "node internals";
}

/** One function's self time (every node of the call tree with the same name and position, summed). */
export interface FunctionCost {
  name: string;
  /** `file:line` (1-based) with the path shortened to the package, or a pseudo-frame's empty string. */
  location: string;
  group: CodeGroup;
  samples: number;
  ms: number;
  /** Of the busy samples (every sample but `(idle)`); 0 for `(idle)` itself. */
  percent: number;
}

/** A group's self time. */
export interface GroupCost {
  group: CodeGroup;
  samples: number;
  ms: number;
  percent: number;
}

/** What {@link summariseProfile} found. */
export interface ProfileSummary {
  /** From the profile's start to its end, or the windows' total length. */
  totalMs: number;
  /** Sampler gaps: intervals beyond {@link GAP_FACTOR} times the median, counted in no function. */
  gapMs: number;
  /** Time of the samples that were not `(idle)`: what the percentages are of. */
  busyMs: number;
  idleMs: number;
  samples: number;
  busySamples: number;
  /** Heaviest first; `(idle)` left out. */
  functions: FunctionCost[];
  /** Heaviest first; `(idle)` left out. */
  groups: GroupCost[];
}

/**
 * A path as a reader finds it in the repository: from `packages/`, `apps/` or the package folder under
 * `node_modules/` on; Node's own modules as they are (`node:internal/…`).
 */
export function shortPath(url: string): string {
  const path = url.replace(/^file:\/\//, "").replace(/\\/g, "/");
  const modules = path.lastIndexOf("/node_modules/");
  if (modules >= 0) return path.slice(modules + "/node_modules/".length);
  const match = /\/((?:packages|apps|tooling)\/.*)$/.exec(path);
  return match?.[1] ?? path;
}

/**
 * Each sample's duration: the time to the next sample (V8 records the delta *before* each sample), the
 * last one taking the profile's end, capped at {@link GAP_FACTOR} times the median interval. On a loaded
 * machine the sampler thread is now and then off the CPU for milliseconds; that gap is not time the
 * sampled function spent, so it is counted apart (`gapMs`) rather than given to whatever ran before it.
 */
function sampleTimes(
  profile: CpuProfile,
  samples: readonly number[],
): { times: number[]; durations: number[]; gapUs: number[] } {
  const deltas = profile.timeDeltas ?? [];
  const times = new Array<number>(samples.length);
  let time = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    time += deltas[i] ?? 0;
    times[i] = time;
  }
  const raw = new Array<number>(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const next = i + 1 < samples.length ? (times[i + 1] as number) : profile.endTime;
    raw[i] = Math.max(0, next - (times[i] as number));
  }
  const sorted = [...raw].sort((a, b) => a - b);
  const cap = GAP_FACTOR * (sorted[sorted.length >> 1] ?? 0);
  const gapUs = raw.map((us) => Math.max(0, us - cap));
  const durations = raw.map((us) => Math.min(us, cap));
  return { times, durations, gapUs };
}

/** A sample interval longer than this many median intervals is a gap of the sampler (see above). */
export const GAP_FACTOR = 4;

/** A span of the profile's clock (µs, as its `startTime`; `process.hrtime` in µs on Node). */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

/**
 * The self-time summary of a CPU profile: per function (by name and source position, so the same
 * function reached from different callers is one line) and per {@link CodeGroup}, in milliseconds and as
 * a share of the busy (not idle) time. With `windows`, only the samples taken inside one of them count
 * (a client's timed sections, without its connection set-up). Without `samples` (a profile from
 * elsewhere), each node's `hitCount` spread evenly over the profile's duration is used instead, and
 * `windows` are ignored.
 */
export function summariseProfile(profile: CpuProfile, windows?: readonly TimeWindow[]): ProfileSummary {
  const byId = new Map<number, CpuProfileNode>();
  const parentOf = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  const samplesOf = new Map<number, number>();
  const usOf = new Map<number, number>();
  let sampleCount: number;
  let gapUs = 0;
  if (profile.samples !== undefined && profile.samples.length > 0) {
    const samples = profile.samples;
    const { times, durations, gapUs: gaps } = sampleTimes(profile, samples);
    const inside = (time: number) =>
      windows === undefined || windows.some((window) => time >= window.fromUs && time < window.toUs);
    sampleCount = 0;
    for (let i = 0; i < samples.length; i++) {
      if (!inside(times[i] as number)) continue;
      sampleCount++;
      gapUs += gaps[i] as number;
      const id = samples[i] as number;
      samplesOf.set(id, (samplesOf.get(id) ?? 0) + 1);
      usOf.set(id, (usOf.get(id) ?? 0) + (durations[i] as number));
    }
  } else {
    sampleCount = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
    const perSample = sampleCount === 0 ? 0 : (profile.endTime - profile.startTime) / sampleCount;
    for (const node of profile.nodes) {
      if (!node.hitCount) continue;
      samplesOf.set(node.id, node.hitCount);
      usOf.set(node.id, node.hitCount * perSample);
    }
  }

  const functions = new Map<string, FunctionCost>();
  const groups = new Map<CodeGroup, GroupCost>();
  let idleUs = 0;
  let idleSamples = 0;
  for (const [id, samples] of samplesOf) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const us = usOf.get(id) ?? 0;
    const caller = nativeCaller(node, parentOf.get(id));
    const group = caller === undefined ? groupOf(functionName, url) : nativeGroup(caller);
    if (group === "idle") {
      idleUs += us;
      idleSamples += samples;
      continue;
    }
    // V8 names a native function after whatever its template was called (napi methods get the class's or
    // another export's name): the caller says what it is.
    const name =
      caller === undefined
        ? functionName || "(anonymous)"
        : `${functionName || "(anonymous)"} (native, from ${caller.callFrame.functionName || "(anonymous)"})`;
    const location =
      caller === undefined
        ? url === ""
          ? ""
          : `${shortPath(url)}:${lineNumber + 1}`
        : `${shortPath(caller.callFrame.url)}:${caller.callFrame.lineNumber + 1}`;
    const key = `${name}\u0000${location}`;
    const cost = functions.get(key) ?? { name, location, group, samples: 0, ms: 0, percent: 0 };
    cost.samples += samples;
    cost.ms += us / 1000;
    functions.set(key, cost);
    const groupCost = groups.get(group) ?? { group, samples: 0, ms: 0, percent: 0 };
    groupCost.samples += samples;
    groupCost.ms += us / 1000;
    groups.set(group, groupCost);
  }
  const totalMs =
    (windows === undefined || profile.samples === undefined
      ? profile.endTime - profile.startTime
      : windows.reduce((sum, window) => sum + (window.toUs - window.fromUs), 0)) / 1000;
  const idleMs = idleUs / 1000;
  const busyMs = [...groups.values()].reduce((sum, group) => sum + group.ms, 0);
  const share = (ms: number) => (busyMs === 0 ? 0 : (100 * ms) / busyMs);
  const byCost = <T extends { ms: number; samples: number }>(a: T, b: T) =>
    b.ms - a.ms || b.samples - a.samples;
  return {
    totalMs,
    gapMs: gapUs / 1000,
    busyMs,
    idleMs,
    samples: sampleCount,
    busySamples: sampleCount - idleSamples,
    functions: [...functions.values()].map((f) => ({ ...f, percent: share(f.ms) })).sort(byCost),
    groups: [...groups.values()].map((g) => ({ ...g, percent: share(g.ms) })).sort(byCost),
  };
}
