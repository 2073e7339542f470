import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadFailure } from "./load-native.js";
import { platformTarget } from "./platform-package.js";

const linuxGnu = platformTarget("linux", "x64", () => false);
const dirs: string[] = [];

// Run in a child without NODE_PATH: pnpm sets it to the store's node_modules, where the workspace's
// (binary-less) platform package would be found.
const loaderScript = `
try { require(process.argv[1]); console.log("[]"); }
catch (error) {
  const messages = [];
  for (let e = error; e; e = e.cause) messages.push(e.message);
  console.log(JSON.stringify(messages));
}`;

/**
 * The generated loader's real error for a machine without the binary: a copy of addon/binding.cjs in an
 * empty folder (no `.node` beside it), with `node_modules` holding what `files` lists; rebuilt here as the
 * loader chains it (each error's `cause` the next, the last one's `null`).
 */
function loaderError(files: Record<string, string> = {}): unknown {
  const dir = mkdtempSync(join(tmpdir(), "zerobus-loader-"));
  dirs.push(dir);
  copyFileSync(join(import.meta.dirname, "../addon/binding.cjs"), join(dir, "binding.cjs"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const env = { ...process.env };
  delete env.NODE_PATH;
  const output = execFileSync(process.execPath, ["-e", loaderScript, join(dir, "binding.cjs")], { env });
  const messages = JSON.parse(output.toString()) as string[];
  if (messages.length === 0) throw new Error("the loader loaded without a binary");
  return messages.reduceRight<unknown>(
    (cause, message) => Object.assign(new Error(message), { cause }),
    null,
  );
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("platformTarget", () => {
  it("names the package the napi loader resolves", () => {
    expect(linuxGnu).toEqual({
      triple: "linux-x64-gnu",
      packageName: "@zerobus/backend-native-linux-x64-gnu",
      published: true,
    });
    expect(platformTarget("linux", "x64", () => true).packageName).toBe(
      "@zerobus/backend-native-linux-x64-musl",
    );
    expect(platformTarget("win32", "x64").packageName).toBe("@zerobus/backend-native-win32-x64-msvc");
    expect(platformTarget("darwin", "arm64").published).toBe(true);
    expect(platformTarget("linux", "arm64", () => true).published).toBe(false);
    expect(platformTarget("freebsd", "x64").published).toBe(false);
  });
});

// The message is what `backendReason` carries on a machine where the binary is missing (issue #16).
describe("loadFailure", () => {
  it.runIf(process.platform === "linux" && process.arch === "x64")(
    "names the missing platform package, without a stray null or a cargo hint",
    () => {
      const error = loadFailure(loaderError(), linuxGnu);
      expect(error.code).toBe("native_unavailable");
      expect(error.message).toBe(
        "[native_unavailable] the native binary for linux-x64-gnu is not installed: the optional dependency " +
          "@zerobus/backend-native-linux-x64-gnu is missing (installed with optional dependencies omitted, " +
          "or from a lockfile made on another platform: reinstall with optional dependencies)",
      );
      expect(error.message).not.toMatch(/cargo/);
      const causes = (error.cause as AggregateError).errors;
      expect(causes.length).toBeGreaterThan(1);
      expect(causes).not.toContain(null);
      expect(causes.every((cause) => typeof (cause as Error).message === "string")).toBe(true);
    },
  );

  it.runIf(process.platform === "linux" && process.arch === "x64")(
    "says the package is there but its binary did not load",
    () => {
      const pkg = "node_modules/@zerobus/backend-native-linux-x64-gnu";
      const error = loadFailure(
        loaderError({
          [`${pkg}/package.json`]: JSON.stringify({
            name: linuxGnu.packageName,
            main: "b.node",
            version: "0.1.0",
          }),
          [`${pkg}/b.node`]: "not a binary",
        }),
        linuxGnu,
      );
      expect(error.message).toMatch(
        /^\[native_unavailable\] @zerobus\/backend-native-linux-x64-gnu is installed but its binary failed to load: .*b\.node/,
      );
    },
  );

  it("says no binary is published for an unsupported platform", () => {
    const error = loadFailure(new Error("Cannot find native binding"), platformTarget("freebsd", "x64"));
    expect(error.message).toBe(
      "[native_unavailable] no prebuilt native binary is published for freebsd-x64 (no package @zerobus/backend-native-freebsd-x64)",
    );
  });
});
