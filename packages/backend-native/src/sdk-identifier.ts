import { PACKAGE_NAME, VERSION } from "./version.js";

/**
 * The user agent the core sets on its connection (PROTOCOL.md A.12): our SDK with its version, this
 * package and backend, and the wrapped core; the core appends `applicationName` and tonic its own name.
 */
export function sdkIdentifier(coreVersion: string): string {
  return `zerobus-sdk-ts/${VERSION} (${PACKAGE_NAME}/${VERSION}; backend=native; zerobus-sdk-rs/${coreVersion})`;
}
