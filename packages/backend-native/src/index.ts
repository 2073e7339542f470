/**
 * The native connection layer of the Zerobus SDK: the shared stream engine over the official Rust core
 * (`databricks-zerobus-ingest-sdk`), through a napi-rs addon. Users normally reach it through
 * `@zerobus/sdk` (`backend: "native"` or `"auto"`).
 *
 * @packageDocumentation
 */
export type { NativeAllocatorStats } from "./allocator-stats.js";
export { nativeAllocatorStats, resetNativeAllocatorPeak } from "./allocator-stats.js";
export { nativeCapabilities } from "./capabilities.js";
export { createBackend } from "./create-backend.js";
export type { NativeAddon } from "./load-native.js";
export { isNativeAvailable, loadNative } from "./load-native.js";
export { NativeCoreError } from "./native-core-error.js";
export { errorFromInfo, errorFromNative } from "./native-error.js";
export type { NativeLogLevel } from "./set-native-logger.js";
export { setNativeLogger } from "./set-native-logger.js";
export { PACKAGE_NAME, VERSION } from "./version.js";
