import type { HeadersContext } from "../../headers.js";
import { ZerobusError } from "../../zerobus-error.js";
import { cancelledError, listenForAbort } from "../cancellation.js";

/** Names the call in a `cancelled` error. */
const what = "the credential request";

/** A credential with the time it stops being valid. */
export interface ExpiringCredential {
  /** Milliseconds since the epoch (the memoizer's clock); absent: valid until the server rejects it. */
  expiresAt?: number;
}

/** An async function producing a credential for one connection attempt, e.g. an OAuth token request. */
export type CredentialSource<T extends ExpiringCredential> = (context: HeadersContext) => Promise<T>;

/** Options of {@link memoize}. */
export interface MemoizeOptions {
  /** Refresh this long before `expiresAt` (default 5 minutes, PROTOCOL.md A.11). */
  refreshBeforeMs?: number;
  /** The clock, in milliseconds since the epoch; tests inject one instead of faking timers under I/O. */
  now?: () => number;
  /** Which calls share a cached credential (default: the table name, as OAuth tokens are per table). */
  cacheKey?: (context: HeadersContext) => string;
}

/** Default of {@link MemoizeOptions.refreshBeforeMs}. */
export const DEFAULT_REFRESH_BEFORE_MS = 5 * 60_000;

interface Cached<T> {
  value: T;
  refreshAt: number;
}

interface InFlight<T> {
  promise: Promise<T>;
  waiters: number;
  /** Stops the request (its last waiter gave up). */
  abandon: () => void;
}

/**
 * Wraps a credential source with a per-key cache, as the AWS SDK's `memoize` does for credentials:
 * - a cached credential is reused until `refreshBeforeMs` before it expires (or half its lifetime, if
 *   that is shorter, so a short-lived credential is still reused a little);
 * - concurrent callers needing a refresh share one call of `source`; it is aborted only when every one
 *   of them has given up (each caller's `signal` abandons only its own wait);
 * - `reason: "unauthenticated"` drops the cached credential and asks the source again (the server just
 *   rejected it), joining a refresh already under way, which necessarily started after the rejected
 *   credential was issued;
 * - a failure is not cached: the next call tries again.
 *
 * @example
 * ```ts
 * const token = memoize(async (ctx) => ({ token: await fetchToken(ctx), expiresAt: Date.now() + 3_600_000 }));
 * const { token: value } = await token(context);
 * ```
 */
export function memoize<T extends ExpiringCredential>(
  source: CredentialSource<T>,
  options: MemoizeOptions = {},
): CredentialSource<T> {
  const refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  if (!Number.isFinite(refreshBeforeMs) || refreshBeforeMs < 0) {
    throw new ZerobusError("invalid_argument", "memoize: refreshBeforeMs must be a finite number >= 0");
  }
  const now = options.now ?? Date.now;
  const cacheKey = options.cacheKey ?? ((context: HeadersContext) => context.tableName);
  const cache = new Map<string, Cached<T>>();
  const inFlight = new Map<string, InFlight<T>>();

  function refreshAt(value: T, fetchedAt: number): number {
    if (value.expiresAt === undefined) return Number.POSITIVE_INFINITY;
    const lifetime = Math.max(0, value.expiresAt - fetchedAt);
    return value.expiresAt - Math.min(refreshBeforeMs, lifetime / 2);
  }

  function start(key: string, context: HeadersContext): InFlight<T> {
    const controller = new AbortController();
    const fetchedAt = now();
    const entry: InFlight<T> = {
      waiters: 0,
      promise: source({ ...context, signal: controller.signal }).then(
        (value) => {
          forget(key, entry);
          cache.set(key, { value, refreshAt: refreshAt(value, fetchedAt) });
          return value;
        },
        (error: unknown) => {
          forget(key, entry);
          throw error;
        },
      ),
      abandon: () => {
        // Forgotten at once, not when the aborted source settles: a caller arriving in between must start
        // a request of its own rather than share the abandoned one's `cancelled`.
        forget(key, entry);
        controller.abort(new ZerobusError("cancelled", "every caller abandoned the credential request"));
      },
    };
    inFlight.set(key, entry);
    return entry;
  }

  /** Drops `entry` from the requests in flight, unless a newer one took its place. */
  function forget(key: string, entry: InFlight<T>): void {
    if (inFlight.get(key) === entry) inFlight.delete(key);
  }

  return (context) => {
    const key = cacheKey(context);
    if (context.reason === "unauthenticated") {
      cache.delete(key);
    } else {
      const cached = cache.get(key);
      if (cached !== undefined && now() < cached.refreshAt) return Promise.resolve(cached.value);
    }
    if (context.signal.aborted) return Promise.reject(cancelledError(context.signal, what));
    return wait(inFlight.get(key) ?? start(key, context), context.signal);
  };
}

/** Waits for a shared refresh; aborting `signal` abandons this wait, and the refresh once nobody waits. */
function wait<T>(entry: InFlight<T>, signal: AbortSignal): Promise<T> {
  entry.waiters++;
  return new Promise<T>((resolve, reject) => {
    const stop = listenForAbort(signal, () => {
      entry.waiters--;
      if (entry.waiters === 0) entry.abandon();
      reject(cancelledError(signal, what));
    });
    entry.promise.finally(stop).then(resolve, reject);
  });
}
