import type { BackendCapabilities } from "@zerobus/core";

/**
 * What the native backend cannot give with core 2.9.0 (README "Capability table"); each reason names the
 * core behaviour in the way. The conformance suite asserts these instead of the behaviour.
 */
export const nativeCapabilities: BackendCapabilities = Object.freeze({
  ackValidation:
    "the core trusts the server's acks (a lower ack over-acknowledges later; one beyond what was sent acknowledges every record already sent) and reports only per-batch acks to the binding",
  keepalive: "the core exposes no HTTP/2 keepalive setting, so keepaliveMs cannot be honoured",
});
