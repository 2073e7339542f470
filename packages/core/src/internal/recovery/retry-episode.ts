import type { ResolvedStreamOptions } from "../../stream-options.js";
import { MAX_TIMER_MS } from "../../stream-options.js";

/**
 * The retry budget of one creation or recovery (PROTOCOL.md A.4): attempts made so far, and whether the
 * single forced credential refresh after UNAUTHENTICATED (A.3) was used. A recovery keeps its episode
 * until an ack arrives on the new connection, so a server that accepts and drops at once spends the same
 * budget instead of causing an endless storm.
 */
export interface RetryEpisode {
  /** Attempts made (the extra UNAUTHENTICATED attempt not counted). */
  attempts: number;
  /** Delays waited so far: each doubles the next one. */
  waits: number;
  refreshUsed: boolean;
  /** Connections dialled, the extra UNAUTHENTICATED attempt included (what observers number attempts by). */
  dials: number;
}

/** A fresh budget. */
export function newEpisode(): RetryEpisode {
  return { attempts: 0, waits: 0, refreshUsed: false, dials: 0 };
}

/**
 * How many attempts one episode may make: `1 + recoveryRetries`, or one when `recovery` is off (A.4).
 * Connecting and deciding whether a broken connection may recover both count against this one number.
 */
export function attemptsAllowed(
  options: Pick<ResolvedStreamOptions, "recovery" | "recoveryRetries">,
): number {
  return options.recovery ? 1 + options.recoveryRetries : 1;
}

/**
 * The delay before an attempt after `waits` earlier delays of the same episode: `recoveryBackoffMs`
 * doubled per delay, capped by `recoveryBackoffMaxMs`, with ±20 % jitter so many clients do not reconnect
 * in lockstep; never past what a timer can wait (a larger delay would fire at once).
 */
export function backoffDelay(
  waits: number,
  options: Pick<ResolvedStreamOptions, "recoveryBackoffMs" | "recoveryBackoffMaxMs">,
  random: () => number = Math.random,
): number {
  const doubled = Math.min(options.recoveryBackoffMs * 2 ** waits, options.recoveryBackoffMaxMs);
  return Math.min(Math.round(doubled * (0.8 + 0.4 * random())), MAX_TIMER_MS);
}
