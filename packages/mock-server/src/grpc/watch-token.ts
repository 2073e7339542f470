import type { IssuedToken, TokenStore } from "../oauth/token-store.js";
import type { ResolvedStatus } from "../status.js";
import { unauthenticated } from "./check-bearer.js";
import type { ConnectionTimers } from "./connection-timers.js";

/** Largest delay setTimeout takes; longer token lifetimes re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

/** The UNAUTHENTICATED status for a token that is no longer usable, or undefined while it is. */
export function tokenStatus(
  store: TokenStore,
  token: IssuedToken | "any" | undefined,
): ResolvedStatus | undefined {
  if (token === undefined || token === "any") return undefined;
  const checked = store.check(token.token);
  return "refusal" in checked ? unauthenticated(checked.refusal) : undefined;
}

/**
 * Calls `onInvalid` when the token expires (by timer, so an idle stream is ended too) or is revoked or
 * expired by the test. Returns the function that stops listening to the store.
 */
export function watchToken(
  store: TokenStore,
  token: IssuedToken,
  timers: ConnectionTimers,
  onInvalid: (status: ResolvedStatus) => void,
): () => void {
  const check = (): void => {
    const status = tokenStatus(store, token);
    if (status) onInvalid(status);
    else timers.later(Math.min(Math.max(token.expiresAt - Date.now(), 1), MAX_TIMER_MS), check);
  };
  timers.later(Math.min(Math.max(token.expiresAt - Date.now(), 0), MAX_TIMER_MS), check);
  return store.onInvalidate((tokens) => {
    if (tokens.includes(token)) check();
  });
}
