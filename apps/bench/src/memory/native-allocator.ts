import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The Rust allocator's live bytes in our native addon (see `allocatorLiveBytes` in
 * `native/binding/src/allocator.rs`), read through the addon's own loader, i.e. the very module instance
 * `@zerobus/sdk` loads for `backend: "native"`. `undefined` when the addon is not built here or predates
 * the counter. The package exports only its index, so the loader is reached from its `package.json`.
 */
export function nativeAllocatorLiveBytes(): number | undefined {
  try {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve("@zerobus/backend-native/package.json"));
    const addon = require(join(packageDir, "addon", "binding.cjs")) as { allocatorLiveBytes?: () => number };
    return addon.allocatorLiveBytes?.();
  } catch {
    return undefined;
  }
}
