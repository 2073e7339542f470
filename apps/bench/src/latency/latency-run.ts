import type { BenchTarget } from "../clients/target.js";
import { makeRecords } from "../records.js";
import { achievedRate } from "./achieved-rate.js";
import { AckTracker } from "./ack-tracker.js";
import type { LatencyCase } from "./latency-case.js";
import type { LatencyPercentiles } from "./latency-histogram.js";
import { percentilesOf } from "./latency-histogram.js";
import { runClosedLoop, runOpenLoop } from "./latency-loops.js";
import type { OpenLatencySession } from "./latency-session.js";
import { intendedTimes } from "./open-loop-schedule.js";

/** What one run measured, sent back to the parent. */
export interface LatencyOutcome {
  /** Records sent. */
  sent: number;
  /** Records acknowledged (all of them, unless the run gave up waiting: see `note`). */
  count: number;
  /** Records per second sustained (see `achievedRate`); `null` when nothing was acknowledged. */
  achieved: number | null;
  percentiles: LatencyPercentiles | null;
  /** CPU time of the client process over the run, ms. */
  cpuMs: number;
  note?: string;
}

/** How long a run waits for its last ack after its last send, beyond the server's delay, before it gives up. */
const DRAIN_TIMEOUT_MS = 10_000;

/** Records of the first open-loop record are due this long after the stream opened (its set-up settles). */
const LEAD_MS = 20;

/**
 * One run of a case on a fresh stream of `open`'s client: records made, start times laid out (intended
 * times for the open loop), the loop driven, then a wait for the last ack. Collects garbage first (the
 * client process runs with `--expose-gc`) so no run pays for the previous one's.
 */
export async function runLatencyCase(
  open: OpenLatencySession,
  target: BenchTarget,
  latencyCase: LatencyCase,
): Promise<LatencyOutcome> {
  const records = makeRecords(latencyCase.maxRecords);
  const closed = latencyCase.mode === "closed";
  const startedAt = new Float64Array(latencyCase.maxRecords);
  const tracker = new AckTracker(startedAt);
  const session = await open(target, records, tracker);
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  let start = performance.now();
  let sent: number;
  if (closed) {
    sent = await runClosedLoop(session, tracker, start, latencyCase.durationMs);
  } else {
    start += LEAD_MS;
    const schedule = { start, rate: latencyCase.rate ?? 1, count: latencyCase.maxRecords };
    startedAt.set(intendedTimes(schedule));
    await runOpenLoop(session, schedule);
    sent = schedule.count;
  }
  const drained = await waitOrGiveUp(tracker.waitFor(sent - 1), latencyCase.ackDelayMs + DRAIN_TIMEOUT_MS);
  const used = process.cpuUsage(cpu);
  if (drained) await session.close();
  const achieved = achievedRate(
    { count: tracker.acked, start, lastAckAt: tracker.lastAckAt },
    latencyCase.mode,
    latencyCase.ackDelayMs,
  );
  return {
    sent,
    count: tracker.acked,
    achieved: achieved ?? null,
    percentiles: percentilesOf(tracker.histogram) ?? null,
    cpuMs: (used.user + used.system) / 1000,
    ...(drained
      ? {}
      : { note: `${tracker.acked} of ${sent} acknowledged ${DRAIN_TIMEOUT_MS / 1000} s after the delay` }),
  };
}

/** `true` once `promise` resolves, `false` if `ms` pass first; rejects with its error. */
async function waitOrGiveUp(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
