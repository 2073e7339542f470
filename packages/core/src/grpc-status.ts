import type { ZerobusErrorCode } from "./error-code.js";
import { ZerobusErrorCodes } from "./error-code.js";
import { isRetryableByDefault } from "./retryability.js";
import { ZerobusError } from "./zerobus-error.js";

/** The 17 gRPC status codes, by name, with their wire numbers. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** A gRPC status number. */
export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus];

// ZerobusErrorCodes opens with the gRPC statuses 1–16 in wire order; OK (0) means the server ended the
// stream cleanly. The error-code tests pin that order.
const codeByStatus: readonly ZerobusErrorCode[] = ["stream_closed", ...ZerobusErrorCodes.slice(0, 16)];

/** The error code for a gRPC status number; numbers outside 0–16 map to `unknown`. */
export function codeForGrpcStatus(status: number): ZerobusErrorCode {
  return codeByStatus[status] ?? "unknown";
}

/**
 * Whether a status the *server* sent is worth retrying (PROTOCOL.md A.3 and B §5.2): everything but
 * INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED, OUT_OF_RANGE and UNIMPLEMENTED. OK and
 * CANCELLED count as retryable here because the server, not the caller, ended the stream.
 */
export function isRetryableGrpcStatus(status: number): boolean {
  if (status === GrpcStatus.OK || status === GrpcStatus.CANCELLED) return true;
  return isRetryableByDefault(codeForGrpcStatus(status));
}

/**
 * Builds the error for a status received from the server (at creation or on a live stream). The gRPC code
 * is kept in `grpcCode`, also for INVALID_ARGUMENT (PROTOCOL.md A.14).
 */
export function errorFromGrpcStatus(status: number, details: string, cause?: unknown): ZerobusError {
  const message =
    status === GrpcStatus.OK ? `the server ended the stream${details ? `: ${details}` : ""}` : details;
  return new ZerobusError(codeForGrpcStatus(status), message || `gRPC status ${status}`, {
    retryable: isRetryableGrpcStatus(status),
    grpcCode: status,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Node socket error codes that mean "the server could not be reached or the connection broke". */
const socketErrorCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_HTTP2_STREAM_ERROR",
  "ERR_HTTP2_SESSION_ERROR",
  "ERR_HTTP2_GOAWAY_SESSION",
]);

/**
 * Maps a Node network error (one with a `code` such as `ECONNREFUSED`, possibly wrapped in `cause`, as
 * `fetch` does, or inside an `AggregateError`, as a dual-stack connect does) to a retryable `unavailable`
 * with the original as `cause`. Returns `undefined` when the error is not a network error.
 */
export function errorFromNetworkError(error: unknown, context: string): ZerobusError | undefined {
  const code = findSocketErrorCode(error);
  if (code === undefined) return undefined;
  return new ZerobusError("unavailable", `${context}: network error ${code}`, {
    retryable: true,
    cause: error,
  });
}

/** Searches an error, its `cause` chain and `errors` lists (bounded: causes can be cyclic). */
function findSocketErrorCode(error: unknown): string | undefined {
  const pending: unknown[] = [error];
  for (let visited = 0; visited < 16 && pending.length > 0; visited++) {
    const current = pending.shift();
    if (current === null || typeof current !== "object") continue;
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === "string" && socketErrorCodes.has(code)) return code;
    pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return undefined;
}
