/**
 * The open-loop schedule: record `i` of a run at `rate` records per second is due at
 * `start + i × 1000 / rate` (ms), whatever happened to the records before it. Latency is counted from
 * that intended time, not from when the sender got round to it, so a client that stalls its caller is
 * charged for every record the stall delayed (no coordinated omission).
 */
export interface OpenLoopSchedule {
  /** `performance.now()` when record 0 is due. */
  readonly start: number;
  /** Records per second offered. */
  readonly rate: number;
  /** Records in the run. */
  readonly count: number;
}

/** When record `index` is due (ms, on the `performance.now()` clock). */
export function intendedAt(schedule: OpenLoopSchedule, index: number): number {
  return schedule.start + (index * 1000) / schedule.rate;
}

/** How many records are due by `now`: records `0 … dueCount − 1` (never more than the run has). */
export function dueCount(schedule: OpenLoopSchedule, now: number): number {
  if (now < schedule.start) return 0;
  return Math.min(schedule.count, Math.floor(((now - schedule.start) * schedule.rate) / 1000) + 1);
}

/**
 * How long the sender sleeps before record `next` is due: at least 1 ms, Node's shortest timer. A sender
 * spinning on `setImmediate` would take a whole core from the server it shares the machine with; the
 * cost is up to about a millisecond of waiting in the sender, the same for every client and counted in
 * its latency.
 */
export function wakeDelayMs(schedule: OpenLoopSchedule, next: number, now: number): number {
  return Math.max(1, Math.ceil(intendedAt(schedule, next) - now));
}

/** The intended times of every record, for the ack tracker (a typed array: no object per record). */
export function intendedTimes(schedule: OpenLoopSchedule): Float64Array {
  const times = new Float64Array(schedule.count);
  for (let i = 0; i < schedule.count; i++) times[i] = intendedAt(schedule, i);
  return times;
}
