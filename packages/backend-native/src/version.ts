/** This package's name, for the user agent. */
export const PACKAGE_NAME = "@zerobus/backend-native";

/** This package's version (a test keeps it equal to package.json's). */
export const VERSION = "0.2.0";

/**
 * The `x-zerobus-sdk` header value and the product token that opens the user agent: our own name, not the
 * official SDK's `zerobus-sdk-ts`, so the service's telemetry can tell the two apart (PROTOCOL.md B §2.1).
 */
export const SDK_HEADER_VALUE = `zerobus-node/${VERSION}`;

/** The header identifying the SDK (PROTOCOL.md B §2.1). */
export const SDK_HEADER = "x-zerobus-sdk";
