import { ZerobusError } from "@zerobus/core";
import { PACKAGE_NAME, SDK_HEADER_VALUE, VERSION } from "./version.js";

/** Visible ASCII and spaces: what a user-agent header may carry. */
const printable = /^[\x20-\x7e]*$/;

/**
 * The user agent of backend-js (PROTOCOL.md A.12): our product token (`zerobus-node/<version>`), this package and backend,
 * then the application's name when given. grpc-js appends its own `grpc-node-js/<version>`.
 */
export function userAgent(applicationName: string | undefined): string {
  const base = `${SDK_HEADER_VALUE} (${PACKAGE_NAME}/${VERSION}; backend=js)`;
  if (applicationName === undefined || applicationName === "") return base;
  if (!printable.test(applicationName)) {
    throw new ZerobusError("invalid_argument", "applicationName must be printable ASCII");
  }
  return `${base} ${applicationName}`;
}
