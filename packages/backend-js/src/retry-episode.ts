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
  attempts: number;
  refreshUsed: boolean;
}

/** A fresh budget. */
export function newEpisode(): RetryEpisode {
  return { attempts: 0, refreshUsed: false };
}

/**
 * `recoveryBackoffMs` with ±20 % jitter, so many clients do not reconnect in lockstep; never past what a
 * timer can wait (a larger delay would fire at once).
 */
export function backoffDelay(baseMs: number, random: () => number = Math.random): number {
  return Math.min(Math.round(baseMs * (0.8 + 0.4 * random())), MAX_TIMER_MS);
}

/**
 * Connects with retries: the first attempt of an episode at once, then `recoveryBackoffMs` (jittered)
 * between attempts, at most `1 + recoveryRetries` attempts (one when `recovery` is off). The first
 * UNAUTHENTICATED buys one immediate extra attempt with `reason: "unauthenticated"`; a second one fails
 * (not retryable). A non-retryable error stops at once. Rejects with the last error; `signal` abandons the
 * whole episode with `cancelled`.
 */
export async function connectWithRetries(
  dial: Dial,
  episode: RetryEpisode,
  options: ResolvedStreamOptions,
  reason: HeadersReason,
  signal: AbortSignal,
): Promise<Connection> {
  const retryReason: HeadersReason = reason === "unauthenticated" ? "recovery" : reason;
  let current = reason;
  let failedHere = false;
  for (;;) {
    if ((episode.attempts > 0 || failedHere) && current !== "unauthenticated") {
      await sleep(backoffDelay(options.recoveryBackoffMs), signal);
    }
    if (current !== "unauthenticated") episode.attempts++;
    failedHere = true;
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
