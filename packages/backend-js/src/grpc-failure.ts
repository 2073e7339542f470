import type { ZerobusError } from "@zerobus/core";
import { errorFromGrpcStatus } from "@zerobus/core";
import type { EndpointFacts } from "@zerobus/core/internal";
import { explainConnectionFailure, nodeTrustAdvice } from "@zerobus/core/internal";

export type { EndpointFacts } from "@zerobus/core/internal";

/**
 * The error for a gRPC status, as core's `errorFromGrpcStatus` builds it, with grpc-js's empty trailer
 * trimmed and, for the failures a user can fix, what to do (core's `explainConnectionFailure`, shared with
 * backend-native; the CA advice names `NODE_EXTRA_CA_CERTS`). The code, `retryable` and `grpcCode` stay
 * those of the status.
 */
export function errorFromGrpcFailure(
  status: number,
  details: string,
  endpoint: EndpointFacts,
  cause?: unknown,
): ZerobusError {
  return errorFromGrpcStatus(status, explainDetails(details, endpoint), cause);
}

/** `details` with grpc-js's empty trailer trimmed and, when it names a failure the user can fix, the fix. */
export function explainDetails(details: string, endpoint: EndpointFacts): string {
  // grpc-js ends "No connection established" with ". Resolution note: " even when it has no note.
  const trimmed = details.replace(/\s*\.?\s*Resolution note:\s*$/, "").trim();
  return explainConnectionFailure(trimmed, endpoint, nodeTrustAdvice);
}
