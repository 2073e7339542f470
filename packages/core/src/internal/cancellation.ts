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
  if (!isAbortSignal(signal)) {
    return Promise.reject(
      new ZerobusError("invalid_argument", `the signal given to ${operation} must be an AbortSignal`),
    );
  }
  return signal.aborted ? Promise.reject(cancelledError(signal, operation)) : undefined;
}

/** Whether `value` behaves as an `AbortSignal` (duck-typed: polyfills and other realms count too). */
export function isAbortSignal(value: unknown): value is AbortSignal {
  const signal = value as Partial<AbortSignal> | null;
  return (
    typeof signal === "object" &&
    signal !== null &&
    typeof signal.aborted === "boolean" &&
    typeof signal.addEventListener === "function" &&
    typeof signal.removeEventListener === "function"
  );
}
