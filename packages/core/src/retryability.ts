import type { ZerobusErrorCode } from "./error-code.js";

/**
 * Codes that are retryable whatever their origin (PROTOCOL.md A.3). `cancelled` and `stream_closed` are
 * not listed: they are retryable only when the server sent them, which the gRPC mapping decides.
 */
const retryableCodes: ReadonlySet<ZerobusErrorCode> = new Set<ZerobusErrorCode>([
  "unavailable",
  "deadline_exceeded",
  "resource_exhausted",
  "aborted",
  "internal",
  "unknown",
  "data_loss",
  "already_exists",
  "failed_precondition",
  "protocol_error",
  "ack_timeout",
  "flush_timeout",
]);

/** Retryability of a code raised by the SDK itself (not received from a server). */
export function isRetryableByDefault(code: ZerobusErrorCode): boolean {
  return retryableCodes.has(code);
}
