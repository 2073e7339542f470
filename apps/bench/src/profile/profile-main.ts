import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { runApiFloor } from "../clients/api-floor.js";
import { runGrpcjsFloor } from "../clients/grpcjs-floor.js";
import { runH2Limit } from "../clients/h2-limit.js";
import { runSdkStrings } from "../clients/sdk-strings.js";
import { runStream } from "../clients/stream.js";
import type { BenchTarget } from "../clients/target.js";
import { runSdkWithTelemetry } from "../clients/telemetry-variants.js";
import { batchesOf, makeRecords, makeSizedRecords } from "../records.js";
import { ServerProcess } from "../server-process.js";
import type { Timing } from "../timing.js";
import type { Workload } from "../workload.js";
import type { CpuProfile, TimeWindow } from "./cpu-profile.js";
import { summariseProfile } from "./cpu-profile.js";
import { formatProfile } from "./format-profile.js";

/**
 * `pnpm bench:profile <client> <singles|batches> [--records N]`: where one bench client's time goes. Starts
 * the TLS bench server, runs the client `--warmups` times (its JIT reaches its steady state), `--runs`
 * timed times (for A/B comparisons: the median is printed), then `--profiled` times under the V8 CPU
 * profiler of this process (sampling every `--interval` µs), and prints the self-time summary of the
 * samples inside the runs' timed sections, by group and by function.
 * `--out file.cpuprofile` keeps the profile for Chrome DevTools; `--no-profile` stops after the timed runs.
 * Everything but the bench server runs in this one process, as each client of `pnpm bench` does in its own.
 */
const clients: Record<string, (target: BenchTarget, workload: Workload) => Promise<Timing>> = {
  "h2-limit": runH2Limit,
  "grpcjs-floor": runGrpcjsFloor,
  "api-floor": runApiFloor,
  "stream-js": (target, workload) => runStream("js", target, workload),
  "stream-native": (target, workload) => runStream("native", target, workload),
  "sdk-js": (target, workload) => runSdkStrings("js", target, workload),
  "sdk-native": (target, workload) => runSdkStrings("native", target, workload),
  "sdk-js-otel": (target, workload) => runSdkWithTelemetry("js", target, workload),
  "sdk-native-otel": (target, workload) => runSdkWithTelemetry("native", target, workload),
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    records: { type: "string" },
    /** Records of exactly this many bytes (W3's 1 KB and 16 KB) instead of the ~100 B ones. */
    "record-bytes": { type: "string" },
    "batch-size": { type: "string", default: "100" },
    warmups: { type: "string", default: "3" },
    runs: { type: "string", default: "3" },
    interval: { type: "string", default: "100" },
    top: { type: "string", default: "25" },
    out: { type: "string" },
    profiled: { type: "string", default: "3" },
    "no-profile": { type: "boolean", default: false },
  },
});
const [clientName, workloadName] = positionals;
const run = clientName === undefined ? undefined : clients[clientName];
if (run === undefined || (workloadName !== "singles" && workloadName !== "batches")) {
  console.error(
    `usage: profile-main <${Object.keys(clients).join("|")}> <singles|batches> [--records N] [--record-bytes N] [--batch-size N] [--warmups N] [--runs N] [--profiled N] [--interval µs] [--top N] [--out file.cpuprofile] [--no-profile]`,
  );
  process.exit(2);
}
const records = Number(values.records ?? (workloadName === "singles" ? 200_000 : 1_000_000));
const batchSize = Number(values["batch-size"]);

// As the bench's client processes run with --expose-gc: each timing starts after a full collection.
if (typeof (globalThis as { gc?: unknown }).gc !== "function") {
  setFlagsFromString("--expose-gc");
  (globalThis as { gc?: unknown }).gc = runInNewContext("gc");
}

function workload(): Workload {
  return workloadName === "singles"
    ? { kind: "singles", records: recordsOf(), outstanding: 1 }
    : { kind: "batches", batches: batchesOf(recordsOf(), batchSize), outstanding: 1 };
}

function recordsOf(): string[] {
  const bytes = values["record-bytes"];
  return bytes === undefined ? makeRecords(records) : makeSizedRecords(records, Number(bytes));
}

function describe(timing: Timing): string {
  const rate = Math.round((records / timing.ms) * 1000).toLocaleString("en-US");
  return `${timing.ms.toFixed(1)} ms (${rate} rec/s), client CPU ${timing.cpuMs.toFixed(0)} ms`;
}

/**
 * The timed sections of the runs from now until `stop()`, on the profile's clock: `startTiming` (timing.ts)
 * reads `process.cpuUsage()` when its clock starts and `process.cpuUsage(previous)` when it stops, so those
 * two calls bound each section (a client's connection set-up and close fall outside).
 */
function timedWindows(): { stop(): TimeWindow[] } {
  const original = process.cpuUsage;
  const windows: TimeWindow[] = [];
  let from: number | undefined;
  const nowUs = () => Number(process.hrtime.bigint() / 1000n);
  process.cpuUsage = ((previous?: NodeJS.CpuUsage) => {
    if (previous === undefined) {
      const usage = original(previous);
      from = nowUs();
      return usage;
    }
    const to = nowUs();
    if (from !== undefined) windows.push({ fromUs: from, toUs: to });
    from = undefined;
    return original(previous);
  }) as typeof process.cpuUsage;
  return {
    stop: () => {
      process.cpuUsage = original;
      return windows;
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const server = await ServerProcess.startTls();
const target: BenchTarget = { port: server.server.port, ca: server.ca, caFile: server.caFile };
try {
  console.log(
    `${clientName}, ${records} records as ${workloadName}${workloadName === "batches" ? ` of ${batchSize}` : ""}`,
  );
  for (let i = 0; i < Number(values.warmups); i++) await run(target, workload());
  const times: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const timing = await run(target, workload());
    times.push(timing.ms);
    console.log(`run ${i + 1}: ${describe(timing)}`);
  }
  if (times.length > 0) {
    console.log(`median of ${times.length}: ${median(times).toFixed(1)} ms`);
    // One line a script comparing builds can read.
    console.log(`RESULT ${clientName} ${workloadName} ${times.map((t) => t.toFixed(2)).join(" ")}`);
  }
  const profiledRuns = values["no-profile"] ? 0 : Number(values.profiled);
  if (profiledRuns > 0) {
    const inputs = Array.from({ length: profiledRuns }, workload);
    // The full collection each timing starts with runs here, before the profiler starts: inside, it
    // would count the whole heap's collection (the workload's records included) as the client's GC.
    const global = globalThis as { gc?: (() => void) | undefined };
    const gc = global.gc;
    gc?.();
    global.gc = () => {};
    const windows = timedWindows();
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: Number(values.interval) });
    await session.post("Profiler.start");
    const timings: Timing[] = [];
    for (const input of inputs) timings.push(await run(target, input));
    const { profile } = (await session.post("Profiler.stop")) as { profile: CpuProfile };
    session.disconnect();
    global.gc = gc;
    const spans = windows.stop();
    for (const timing of timings) console.log(`profiled run: ${describe(timing)}`);
    console.log(
      `\n${profiledRuns} profiled run(s), samples inside their timed sections only (${spans.length} found):`,
    );
    console.log(
      formatProfile(summariseProfile(profile, spans.length > 0 ? spans : undefined), Number(values.top)),
    );
    if (values.out !== undefined) {
      await writeFile(values.out, JSON.stringify(profile));
      console.log(`\nprofile written to ${values.out}`);
    }
  }
} finally {
  // A client may leave its HTTP/2 session open (its process would exit after the run): the server's exit
  // resets it, which is no failure of the profile.
  process.on("uncaughtException", (error: NodeJS.ErrnoException) => {
    if (error.code !== "ECONNRESET") throw error;
  });
  await server.stop();
}
