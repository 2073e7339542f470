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
