import type { StepTrigger } from "./script-step.js";

/** What triggers count on a connection: records, requests and request bytes that passed the checks. */
export interface TriggerCounts {
  records: number;
  requests: number;
  bytes: number;
}

/** Nothing: what an `after` trigger adds to the counts so far, since no request is pending. */
export const NOTHING: Readonly<TriggerCounts> = { records: 0, requests: 0, bytes: 0 };

/** The keys a trigger may name. */
export const TRIGGER_KEYS: readonly (keyof StepTrigger)[] = ["records", "requests", "bytes", "ms"];

/**
 * Whether `trigger` holds: what arrived since `start`, plus `pending` (a request not counted yet, for `at`
 * triggers), reaches every count the trigger names, and its time has `elapsed` if it names one.
 */
export function triggerHolds(
  trigger: StepTrigger,
  counts: { start: TriggerCounts; now: TriggerCounts; pending: TriggerCounts },
  elapsed: boolean,
): boolean {
  const { start, now, pending } = counts;
  const reached = (key: keyof TriggerCounts): boolean =>
    now[key] + pending[key] - start[key] >= (trigger[key] ?? 0);
  return (
    reached("records") && reached("requests") && reached("bytes") && (trigger.ms === undefined || elapsed)
  );
}
