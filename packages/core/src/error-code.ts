/**
 * Every `ZerobusError.code`: the gRPC status names in snake case (without `ok`) and the SDK's own codes.
 * The set is closed: a new code is a breaking change.
 */
export const ZerobusErrorCodes = [
  "cancelled",
  "unknown",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
  "unauthenticated",
  "protocol_error",
  "stream_closed",
  "invalid_state",
  "ack_timeout",
  "flush_timeout",
  "auth_failed",
  "native_unavailable",
] as const;

/** A stable, machine-readable error code (see the README's error table). */
export type ZerobusErrorCode = (typeof ZerobusErrorCodes)[number];
