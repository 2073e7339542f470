/** This package's name, for the user agent. */
export const PACKAGE_NAME = "@zerobus/backend-native";

/** This package's version (a test keeps it equal to package.json's). */
export const VERSION = "0.1.0";

/** The `x-zerobus-sdk` header value: which SDK and version sent the request. */
export const SDK_HEADER_VALUE = `zerobus-sdk-ts/${VERSION}`;

/** The header identifying the SDK (PROTOCOL.md B §2.1). */
export const SDK_HEADER = "x-zerobus-sdk";
