import { loadNative } from "./load-native.js";

/** What the addon's Rust code holds from its allocator (requested sizes, not the allocator's overhead). */
export interface NativeAllocatorStats {
  /** Bytes allocated and not yet freed, now. */
  liveBytes: number;
  /** The most bytes held at once since the addon loaded or since {@link resetNativeAllocatorPeak}. */
  peakBytes: number;
}

/**
 * The Rust allocator's live and peak bytes in this process (the addon counts every allocation its Rust
 * code makes: the core's re-send buffer, the gRPC stack's buffers, the runtime). Memory that V8 or Node
 * allocate is not included: add `process.memoryUsage()` for the whole picture. Throws
 * `native_unavailable` when the addon cannot load.
 *
 * @example
 * ```ts
 * const { liveBytes } = nativeAllocatorStats();
 * console.log(`Rust holds ${(liveBytes / 1048576).toFixed(1)} MiB`);
 * ```
 */
export function nativeAllocatorStats(): NativeAllocatorStats {
  const addon = loadNative();
  return { liveBytes: addon.allocatorLiveBytes(), peakBytes: addon.allocatorPeakBytes() };
}

/** Starts a new high-water mark from the bytes held now, and returns that figure. */
export function resetNativeAllocatorPeak(): number {
  return loadNative().resetAllocatorPeak();
}
