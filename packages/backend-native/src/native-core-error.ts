import type { NativeErrorCause } from "../addon/binding.cjs";

/**
 * What the Rust core reported, kept as the `cause` of the `ZerobusError` it became (backend-js keeps
 * grpc-js's error there). A status the core reported is in `code` and `details`, as on grpc-js's
 * `ServiceError`, so `error.cause.code` reads the same on both backends. Never holds a secret.
 *
 * @example
 * ```ts
 * if (error.cause instanceof NativeCoreError && error.cause.code === 7) console.error(error.cause.details);
 * ```
 */
export class NativeCoreError extends Error {
  override readonly name = "NativeCoreError";
  /** The core's `ZerobusError` variant, e.g. `CreateStreamError`. */
  readonly variant: string;
  // `declare`: no own property unless the core reported a status.
  /** The gRPC status code, when the core reported a status. */
  declare readonly code?: number;
  /** The status message, when the core reported a status. */
  declare readonly details?: string;

  constructor(cause: NativeErrorCause) {
    super(cause.message);
    this.variant = cause.variant;
    if (typeof cause.code === "number") this.code = cause.code;
    if (typeof cause.details === "string") this.details = cause.details;
  }
}
