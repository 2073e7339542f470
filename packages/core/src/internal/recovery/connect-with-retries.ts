import type { HeadersReason } from "../../headers.js";
import type { ResolvedStreamOptions } from "../../stream-options.js";
import { ZerobusError } from "../../zerobus-error.js";
import { abortError, sleep } from "../cancellation.js";
import type { RetryEpisode } from "./retry-episode.js";
import { attemptsAllowed, backoffDelay } from "./retry-episode.js";

/**
 * One connection attempt of a backend for a given reason (the headers provider is called with it):
 * resolves once the server created the stream, rejects with a `ZerobusError`; `signal` abandons it.
 * `attempt` numbers the episode's attempts from 1 (the extra UNAUTHENTICATED one included), for observers.
 */
export type Dial<C> = (reason: HeadersReason, signal: AbortSignal, attempt: number) => Promise<C>;

/**
 * Connects with retries (PROTOCOL.md A.4), at most {@link attemptsAllowed} attempts per episode. The first
 * attempt of an episode goes at once when `firstImmediate` (a creation, or a connection that lived at least
 * `recoveryBackoffMs`); every other one waits {@link backoffDelay}. The first UNAUTHENTICATED buys one
 * immediate extra attempt with `reason: "unauthenticated"`, outside the budget (A.3); a second one fails
 * (not retryable). A non-retryable error stops at once. Rejects with the last error; `signal` abandons the
 * whole episode with its own `ZerobusError`, else `cancelled`.
 */
export async function connectWithRetries<C>(
  dial: Dial<C>,
  episode: RetryEpisode,
  options: ResolvedStreamOptions,
  reason: HeadersReason,
  signal: AbortSignal,
  firstImmediate = true,
): Promise<C> {
  const retryReason: HeadersReason = reason === "unauthenticated" ? "recovery" : reason;
  const abandoned = () => abortError(signal, "stream creation");
  let current = reason;
  let immediate = firstImmediate && episode.attempts === 0;
  for (;;) {
    if (!immediate && current !== "unauthenticated") {
      await sleep(backoffDelay(episode.waits++, options), signal, abandoned);
    }
    if (current !== "unauthenticated") episode.attempts++;
    immediate = false;
    try {
      return await dial(current, signal, ++episode.dials);
    } catch (thrown) {
      if (signal.aborted) throw abandoned();
      const error = ZerobusError.from(thrown);
      if (error.code === "unauthenticated" && !episode.refreshUsed) {
        episode.refreshUsed = true;
        current = "unauthenticated";
        continue;
      }
      if (!error.retryable || episode.attempts >= attemptsAllowed(options)) throw error;
      current = retryReason;
    }
  }
}
