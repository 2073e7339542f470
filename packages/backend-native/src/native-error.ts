import type { ZerobusErrorCode } from "@zerobus/core";
import { isZerobusError, ZerobusError, ZerobusErrorCodes } from "@zerobus/core";
import type { EndpointFacts } from "@zerobus/core/internal";
import { explainConnectionFailure, rustlsTrustAdvice } from "@zerobus/core/internal";
import type { NativeErrorInfo } from "../addon/binding.cjs";
import { NativeCoreError } from "./native-core-error.js";

/** Prefix of a native error message that carries a {@link NativeErrorInfo} as JSON (see `native/binding/src/errors.rs`). */
const ERROR_PREFIX = "ZEROBUS_NATIVE_ERROR:";

/**
 * The one conversion of a native error into a `ZerobusError`: the Rust side already chose the code,
 * `retryable` and `grpcCode` (PROTOCOL.md A.3, A.14); what the core reported becomes the `cause`, a
 * {@link NativeCoreError}. An error that our headers provider reported to the core becomes the
 * provider's own error (`providerError`), which the TS side kept. Given the `endpoint` (as configured, and
 * whether TLS is in use), the message says what to do about a failure the user can fix (core's
 * `explainConnectionFailure`, as backend-js does; the CA advice names `SSL_CERT_FILE`, the variable the
 * Rust core reads); the code and `retryable` stay the core's, the cause keeps its words unchanged.
 */
export function errorFromInfo(
  info: NativeErrorInfo,
  providerError?: ZerobusError,
  endpoint?: EndpointFacts,
): ZerobusError {
  if (info.fromHeadersProvider && providerError !== undefined) return providerError;
  const code: ZerobusErrorCode = (ZerobusErrorCodes as readonly string[]).includes(info.code)
    ? (info.code as ZerobusErrorCode)
    : "unknown";
  const message =
    endpoint === undefined || info.fromHeadersProvider
      ? info.message
      : explainConnectionFailure(info.message, endpoint, rustlsTrustAdvice);
  return new ZerobusError(code, message, {
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
export function errorFromNative(
  error: unknown,
  providerError?: ZerobusError,
  endpoint?: EndpointFacts,
): ZerobusError {
  if (isZerobusError(error)) return error;
  const info = nativeErrorInfo(error);
  return info === undefined ? ZerobusError.from(error) : errorFromInfo(info, providerError, endpoint);
}
