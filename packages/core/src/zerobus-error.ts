import type { ZerobusErrorCode } from "./error-code.js";
import { ZerobusErrorCodes } from "./error-code.js";
import { isRetryableByDefault } from "./retryability.js";

/** Marks instances so `isZerobusError` works across duplicate installs of this package. */
const brand = Symbol.for("@zerobus/core.ZerobusError");

/** Options of the {@link ZerobusError} constructor. */
export interface ZerobusErrorOptions {
  /** Overrides the default retryability of `code` (PROTOCOL.md A.3). */
  retryable?: boolean;
  /** The gRPC status number, when the error came from a gRPC status. */
  grpcCode?: number;
  /** The underlying error. Never put a secret here. */
  cause?: unknown;
  /** The logical offset the error concerns (a cancelled wait of an accepted record, say). */
  offset?: bigint;
}

/**
 * The one error type of the SDK. `code` is stable and machine-readable; `retryable` says whether trying
 * again (a new stream, a new call) can succeed; `grpcCode` keeps the gRPC status when there was one.
 * The message starts with `[code]` and never contains a token, a client secret or a whole record.
 *
 * @example
 * ```ts
 * try { await stream.flush(); } catch (e) {
 *   if (isZerobusError(e) && e.retryable) await sdk.recreateStream(stream);
 * }
 * ```
 */
export class ZerobusError extends Error {
  override readonly name = "ZerobusError";
  readonly code: ZerobusErrorCode;
  readonly retryable: boolean;
  // `declare`: no own property unless set, so the optional fields are absent rather than `undefined`.
  /** The gRPC status number, when the error came from a gRPC status (0 included). */
  declare readonly grpcCode?: number;
  /** The logical offset the error concerns, when there is one. */
  declare readonly offset?: bigint;
  /** The message without the `[code]` prefix. */
  readonly rawMessage: string;

  constructor(code: ZerobusErrorCode, message: string, options: ZerobusErrorOptions = {}) {
    super(`[${code}] ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.rawMessage = message;
    this.retryable = options.retryable ?? isRetryableByDefault(code);
    if (options.grpcCode !== undefined) this.grpcCode = options.grpcCode;
    if (options.offset !== undefined) this.offset = options.offset;
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * Turns anything thrown into a `ZerobusError`: a `ZerobusError` (also from another copy of this
   * package) is returned as is, an `AbortError` becomes `cancelled`, anything else `unknown` with the
   * original as `cause`.
   */
  static from(error: unknown): ZerobusError {
    if (isZerobusError(error)) return error;
    if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
      return new ZerobusError("cancelled", error.message || "the operation was aborted", {
        cause: error,
        retryable: false,
      });
    }
    return new ZerobusError("unknown", describeThrown(error), { cause: error });
  }

  /**
   * `instanceof ZerobusError` holds for errors of any copy of this package (like `isZerobusError`);
   * subclasses keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass `instanceof` was asked about
    if (this !== ZerobusError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isZerobusError(value);
  }

  /** Serialises without the stack; `cause` is reduced to its name and message. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
    };
    if (this.grpcCode !== undefined) json.grpcCode = this.grpcCode;
    if (this.offset !== undefined) json.offset = this.offset.toString();
    if (this.cause instanceof Error) json.cause = { name: this.cause.name, message: this.cause.message };
    return json;
  }
}

/** True for a `ZerobusError` from any copy of `@zerobus/core` (duplicate installs included). */
export function isZerobusError(value: unknown): value is ZerobusError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true &&
    ZerobusErrorCodes.includes((value as { code?: unknown }).code as ZerobusErrorCode)
  );
}

/** A message for anything thrown; never throws itself (`String()` does on objects without a prototype). */
function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  try {
    return String(error);
  } catch {
    return "a non-error value was thrown";
  }
}
