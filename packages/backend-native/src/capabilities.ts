import type { BackendCapabilities } from "@zerobus/core";

/**
 * What the native backend cannot give with core 2.9.0 (README "Capability table"); each reason names
 * the core behaviour in the way. The conformance suite asserts these instead of the behaviour.
 */
export const nativeCapabilities: BackendCapabilities = Object.freeze({
  ackValidation:
    "the core trusts the server's acks (a lower ack over-acknowledges later, one beyond what was sent is ignored) and reports only per-batch acks to the binding",
  ackTimeout:
    "the core restarts its lack-of-ack timer on every message received instead of timing the oldest record in flight",
  closeSignal:
    "after a close signal the core may still send one more record on the old connection, and its pause is not observable",
  recoveryStorm:
    "the core counts a reconnection as successful once the stream is created and gives every recovery a fresh retry budget",
  unauthenticatedRefresh:
    "the core treats UNAUTHENTICATED during a live stream or a recovery as terminal; only creation gets one more attempt, and only with recovery on and recoveryRetries above 0",
  keepalive: "the core exposes no HTTP/2 keepalive setting, so keepaliveMs cannot be honoured",
});
