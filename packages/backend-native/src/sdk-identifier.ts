import { PACKAGE_NAME, SDK_HEADER_VALUE, VERSION } from "./version.js";

/**
 * The user agent the core sets on its connection (PROTOCOL.md A.12): our product token (`zerobus-node/<version>`), this
 * package and backend, and the wrapped core; the core appends `applicationName` and tonic its own name.
 */
export function sdkIdentifier(coreVersion: string): string {
  return `${SDK_HEADER_VALUE} (${PACKAGE_NAME}/${VERSION}; backend=native; zerobus-sdk-rs/${coreVersion})`;
}
