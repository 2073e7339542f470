import type { ZerobusErrorCode } from "@zerobus/core";
import { isZerobusError, ZerobusError, ZerobusErrorCodes } from "@zerobus/core";
import type { NativeErrorInfo } from "../addon/binding.cjs";
import { NativeCoreError } from "./native-core-error.js";

/** Prefix of a native error message that carries a {@link NativeErrorInfo} as JSON (see `native/binding/src/errors.rs`). */
const ERROR_PREFIX = "ZEROBUS_NATIVE_ERROR:";

/**
 * The one conversion of a native error into a `ZerobusError`: the Rust side already chose the code,
 * `retryable` and `grpcCode` (PROTOCOL.md A.3, A.14); what the core reported becomes the `cause`, a
 * {@link NativeCoreError}. An error that our headers provider reported to the core becomes the
 * provider's own error (`providerError`), which the TS side kept.
 */
export function errorFromInfo(info: NativeErrorInfo, providerError?: ZerobusError): ZerobusError {
  if (info.fromHeadersProvider && providerError !== undefined) return providerError;
  const code: ZerobusErrorCode = (ZerobusErrorCodes as readonly string[]).includes(info.code)
    ? (info.code as ZerobusErrorCode)
    : "unknown";
  return new ZerobusError(code, info.message, {
    retryable: info.retryable,
    ...(info.grpcCode === undefined || info.grpcCode === null ? {} : { grpcCode: info.grpcCode }),
    // Null in a thrown error's JSON, absent in an event's object.
    ...(info.cause === undefined || info.cause === null ? {} : { cause: new NativeCoreError(info.cause) }),
  });
}

/** Reads the {@link NativeErrorInfo} out of an error thrown or rejected by the addon, if it carries one. */
export function nativeErrorInfo(error: unknown): NativeErrorInfo | undefined {
  if (!(error instanceof Error) || !error.message.startsWith(ERROR_PREFIX)) return undefined;
  try {
    return JSON.parse(error.message.slice(ERROR_PREFIX.length)) as NativeErrorInfo;
  } catch {
    return undefined;
  }
}

/** Turns anything the addon threw into a `ZerobusError` (through {@link errorFromInfo} when it can). */
export function errorFromNative(error: unknown, providerError?: ZerobusError): ZerobusError {
  if (isZerobusError(error)) return error;
  const info = nativeErrorInfo(error);
  return info === undefined ? ZerobusError.from(error) : errorFromInfo(info, providerError);
}
