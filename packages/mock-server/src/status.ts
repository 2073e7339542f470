import { status as GrpcStatusCode } from "@grpc/grpc-js";

/** A gRPC status code (numeric, as in `@grpc/grpc-js`'s `status` enum). */
export type StatusCode = GrpcStatusCode;

/** A gRPC status to end a stream with: a bare code, or a code with the text the client sees as details. */
export type StatusSpec = StatusCode | { code: StatusCode; details?: string };

/** A status with its details filled in. */
export interface ResolvedStatus {
  code: StatusCode;
  details: string;
}

/** Fills in realistic default details so scripted failures read like a real server's. */
export function resolveStatus(spec: StatusSpec): ResolvedStatus {
  const code = typeof spec === "number" ? spec : spec.code;
  const details = typeof spec === "number" ? undefined : spec.details;
  return {
    code,
    details: details ?? `${GrpcStatusCode[code] ?? "UNKNOWN"}: injected by the mock server script`,
  };
}

export { GrpcStatusCode };

/** INVALID_ARGUMENT with `details`: the status of every malformed-input check. */
export function invalidArgument(details: string): ResolvedStatus {
  return { code: GrpcStatusCode.INVALID_ARGUMENT, details };
}

/** RESOURCE_EXHAUSTED for a message over the limit, worded as grpc servers word it. */
export function messageTooLarge(size: number, limit: number): ResolvedStatus {
  return {
    code: GrpcStatusCode.RESOURCE_EXHAUSTED,
    details: `Received message larger than max (${size} vs. ${limit})`,
  };
}
