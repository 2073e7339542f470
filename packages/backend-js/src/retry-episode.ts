import type { HeadersReason, ResolvedStreamOptions } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import { MAX_TIMER_MS } from "@zerobus/core/internal";
import type { Connection } from "./connection.js";
import type { Dial } from "./dial.js";

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
}

/** A fresh budget. */
export function newEpisode(): RetryEpisode {
  return { attempts: 0, waits: 0, refreshUsed: false };
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

/**
 * Connects with retries (PROTOCOL.md A.4), at most `1 + recoveryRetries` attempts per episode (one when
 * `recovery` is off). The first attempt of an episode goes at once when `firstImmediate` (a creation, or a
 * connection that lived at least `recoveryBackoffMs`); every other one waits {@link backoffDelay}. The
 * first UNAUTHENTICATED buys one immediate extra attempt with `reason: "unauthenticated"`, outside the
 * budget; a second one fails (not retryable). A non-retryable error stops at once. Rejects with the last
 * error; `signal` abandons the whole episode with `cancelled`.
 */
export async function connectWithRetries(
  dial: Dial,
  episode: RetryEpisode,
  options: ResolvedStreamOptions,
  reason: HeadersReason,
  signal: AbortSignal,
  firstImmediate = true,
): Promise<Connection> {
  const retryReason: HeadersReason = reason === "unauthenticated" ? "recovery" : reason;
  let current = reason;
  let immediate = firstImmediate && episode.attempts === 0;
  for (;;) {
    if (!immediate && current !== "unauthenticated") {
      await sleep(backoffDelay(episode.waits++, options), signal);
    }
    if (current !== "unauthenticated") episode.attempts++;
    immediate = false;
    try {
      return await dial(current, signal);
    } catch (thrown) {
      if (signal.aborted) throw abortReason(signal);
      const error = ZerobusError.from(thrown);
      if (error.code === "unauthenticated" && !episode.refreshUsed) {
        episode.refreshUsed = true;
        current = "unauthenticated";
        continue;
      }
      const attemptsAllowed = options.recovery ? 1 + options.recoveryRetries : 1;
      if (!error.retryable || episode.attempts >= attemptsAllowed) throw error;
      current = retryReason;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The error of an abandoned episode: the signal's own `ZerobusError`, else `cancelled`. */
export function abortReason(signal: AbortSignal): ZerobusError {
  const reason: unknown = signal.reason;
  if (reason instanceof ZerobusError) return reason;
  return new ZerobusError("cancelled", "stream creation was cancelled", { retryable: false, cause: reason });
}
