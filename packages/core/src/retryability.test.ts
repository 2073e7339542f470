import { describe, expect, it } from "vitest";
import type { ZerobusErrorCode } from "./error-code.js";
import { ZerobusErrorCodes } from "./error-code.js";
import { isRetryableByDefault } from "./retryability.js";

// PROTOCOL.md A.3, for errors the SDK raises itself. `cancelled` and `stream_closed` are retryable only
// when the server sent them; the gRPC mapping (grpc-status.test.ts) pins that side.
const expected: Record<ZerobusErrorCode, boolean> = {
  cancelled: false,
  unknown: true,
  invalid_argument: false,
  deadline_exceeded: true,
  not_found: false,
  already_exists: true,
  permission_denied: false,
  resource_exhausted: true,
  failed_precondition: true,
  aborted: true,
  out_of_range: false,
  unimplemented: false,
  internal: true,
  unavailable: true,
  data_loss: true,
  unauthenticated: false,
  protocol_error: true,
  stream_closed: false,
  invalid_state: false,
  ack_timeout: true,
  flush_timeout: true,
  auth_failed: false,
  native_unavailable: false,
};

describe("ZerobusErrorCodes", () => {
  it("is exactly the closed set of API.md, in order", () => {
    expect(ZerobusErrorCodes).toEqual([
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
    ]);
  });
});

describe("isRetryableByDefault", () => {
  it("has a decision for every code and none for anything else", () => {
    expect(Object.keys(expected).sort()).toEqual([...ZerobusErrorCodes].sort());
  });

  it.each(Object.entries(expected))("%s → retryable %s", (code, retryable) => {
    expect(isRetryableByDefault(code as ZerobusErrorCode)).toBe(retryable);
  });
});
