import { ZerobusError } from "../zerobus-error.js";

/** The error of a call whose `AbortSignal` fired (API.md "Cancellation"): `cancelled`, not retryable. */
export function cancelledError(signal: AbortSignal, what = "the operation", offset?: bigint): ZerobusError {
  return new ZerobusError("cancelled", `${what} was cancelled by its AbortSignal`, {
    retryable: false,
    cause: signal.reason,
    ...(offset === undefined ? {} : { offset }),
  });
}

/**
 * Runs `onAbort` once when `signal` fires; returns the function that stops listening. Listeners are
 * removed as soon as the call settles so long-lived signals do not collect them.
 */
export function listenForAbort(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (signal === undefined) return noop;
  signal.addEventListener("abort", onAbort, { once: true });
  return () => signal.removeEventListener("abort", onAbort);
}

function noop(): void {}

/**
 * The rejection for a call whose `signal` cannot go on: not an `AbortSignal` (`invalid_argument`: it
 * would fail later, inside a timer or a listener), or already aborted (`cancelled`, nothing accepted).
 * `undefined` when the call may proceed.
 */
export function refusedBySignal(
  signal: AbortSignal | undefined,
  operation: string,
): Promise<never> | undefined {
  if (signal === undefined) return undefined;
  const invalid = invalidSignal(signal, operation);
  if (invalid !== undefined) return Promise.reject(invalid);
  return signal.aborted ? Promise.reject(cancelledError(signal, operation)) : undefined;
}

/** The `invalid_argument` for a `signal` given to `operation` that is not an `AbortSignal`, if so. */
export function invalidSignal(signal: unknown, operation: string): ZerobusError | undefined {
  if (signal === undefined || isAbortSignal(signal)) return undefined;
  return new ZerobusError("invalid_argument", `the signal given to ${operation} must be an AbortSignal`);
}

/**
 * `promise`'s outcome, or a rejection with `abortError()` as soon as `signal` fires (at once if it
 * already had). The promise itself runs on; only the wait for it is abandoned.
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal,
  abortError: () => unknown,
): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const stop = listenForAbort(signal, () => reject(abortError()));
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error);
      },
    );
  });
}

/**
 * The error of work abandoned because `signal` fired: the signal's own `ZerobusError` when it carries one
 * (an attempt's deadline, the failure or close that ended a stream), else `cancelled`, not retryable, for
 * `what` (such as "stream creation"), with the signal's reason as its cause.
 */
export function abortError(signal: AbortSignal, what: string): ZerobusError {
  const reason: unknown = signal.reason;
  if (reason instanceof ZerobusError) return reason;
  return new ZerobusError("cancelled", `${what} was cancelled`, { retryable: false, cause: reason });
}

/**
 * Resolves after `ms`, or rejects with `error()` as soon as `signal` fires (at once if it already had);
 * an abandoned wait clears its timer, so it keeps no process alive.
 */
export function sleep(ms: number, signal: AbortSignal, error: () => unknown): Promise<void> {
  if (signal.aborted) return Promise.reject(error());
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      resolve();
    }, ms);
    const stop = listenForAbort(signal, () => {
      clearTimeout(timer);
      reject(error());
    });
  });
}

/** Whether `value` behaves as an `AbortSignal` (duck-typed: polyfills and other realms count too). */
function isAbortSignal(value: unknown): value is AbortSignal {
  const signal = value as Partial<AbortSignal> | null;
  return (
    typeof signal === "object" &&
    signal !== null &&
    typeof signal.aborted === "boolean" &&
    typeof signal.addEventListener === "function" &&
    typeof signal.removeEventListener === "function"
  );
}
