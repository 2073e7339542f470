import type { AckTracker } from "./ack-tracker.js";
import type { LatencySession } from "./latency-session.js";
import type { OpenLoopSchedule } from "./open-loop-schedule.js";
import { dueCount, wakeDelayMs } from "./open-loop-schedule.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The closed loop: one record at a time, each sent once the previous one's ack arrived, until
 * `durationMs` passed or the tracker's start-time array is full. Latency counts from the call (there is
 * no schedule to fall behind). Returns how many records were sent; the last one is acknowledged.
 */
export async function runClosedLoop(
  session: LatencySession,
  tracker: AckTracker,
  start: number,
  durationMs: number,
): Promise<number> {
  const end = start + durationMs;
  let sent = 0;
  while (sent < tracker.startedAt.length) {
    const now = performance.now();
    if (sent > 0 && now >= end) break;
    tracker.startedAt[sent] = now;
    await session.send(sent, sent + 1);
    await tracker.waitFor(sent);
    sent++;
  }
  return sent;
}

/**
 * The open loop: a sender that wakes on a timer and sends every record whose intended time has come
 * (`schedule`), in one `send` per wake, then sleeps on a timer again (never on a microtask or
 * `setImmediate` alone, so the client's I/O and acks always get their turn, even when it falls behind).
 * Nothing waits for acks here: the caller waits for the last one. The tracker's start times must be the
 * intended times (`intendedTimes`), so latency counts from them.
 */
export async function runOpenLoop(session: LatencySession, schedule: OpenLoopSchedule): Promise<void> {
  let sent = 0;
  for (;;) {
    const due = dueCount(schedule, performance.now());
    if (due > sent) {
      await session.send(sent, due);
      sent = due;
    }
    if (sent >= schedule.count) return;
    await sleep(wakeDelayMs(schedule, sent, performance.now()));
  }
}
