import { createRequire } from "node:module";
import type { OfficialBinary } from "./official-types.js";

/** The one platform package of the official addon the bench installs (an optional dependency). */
const PACKAGE = "@databricks/zerobus-ingest-sdk-linux-x64-gnu";

/** The official addon, or why it cannot run here (another platform, or the optional install skipped). */
export type OfficialLoad = { binary: OfficialBinary } | { unavailable: string };

/**
 * Loads the official SDK's native addon directly (its JS wrapper package is not used): the platform
 * package's `main` is the `.node` file itself. Never throws.
 */
export function loadOfficialBinary(): OfficialLoad {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return {
      unavailable: `the bench installs the official binary for linux-x64 only, not ${process.platform}-${process.arch}`,
    };
  }
  try {
    return { binary: createRequire(import.meta.url)(PACKAGE) as OfficialBinary };
  } catch (error) {
    return {
      unavailable: `${PACKAGE} did not load: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    };
  }
}
