#!/usr/bin/env node
// Builds the napi addon from native/binding into addon/ (the `build` task of this package; turbo
// re-runs it when native/** changes). Without cargo, or with ZEROBUS_SKIP_NATIVE_BUILD=1, it prints one
// line and succeeds: the SDK then runs on the js backend.
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

if (process.env.ZEROBUS_SKIP_NATIVE_BUILD === "1") {
  console.log("@zerobus/backend-native: ZEROBUS_SKIP_NATIVE_BUILD=1, native addon not built");
  process.exit(0);
}
if (spawnSync("cargo", ["--version"], { stdio: "ignore" }).status !== 0) {
  console.log(
    "@zerobus/backend-native: cargo not found, native addon not built (the SDK uses the js backend)",
  );
  process.exit(0);
}

// Outside the clone, so that CI runs on the same machine reuse the compiled dependencies.
const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), ".cache", "zerobus-native-target");
const profile = process.env.ZEROBUS_NATIVE_PROFILE || "ci";
const napi = join(packageDir, "node_modules", ".bin", "napi");
const result = spawnSync(
  napi,
  [
    "build",
    "--platform",
    "--profile",
    profile,
    "--manifest-path",
    join(packageDir, "..", "..", "native", "binding", "Cargo.toml"),
    "--package-json-path",
    join(packageDir, "package.json"),
    "--target-dir",
    targetDir,
    "--output-dir",
    join(packageDir, "addon"),
    "--js",
    "binding.cjs",
    "--dts",
    "binding.d.cts",
  ],
  { cwd: packageDir, stdio: "inherit" },
);
process.exit(result.status ?? 1);
