import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const packageDir = join(import.meta.dirname, "..");
const root = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
const check = join(packageDir, "scripts/check-platform-binary.mjs");
const triples = readdirSync(join(packageDir, "npm")).sort();
const platformPackage = (triple: string) =>
  JSON.parse(readFileSync(join(packageDir, "npm", triple, "package.json"), "utf8"));
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A platform package in a temporary folder, as scripts/platform-packages.mjs generates it. */
function fakePackage(triple: string, binary?: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "zerobus-platform-"));
  dirs.push(dir);
  const pkg = platformPackage(triple);
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
  if (binary) writeFileSync(join(dir, pkg.main), binary);
  return dir;
}

function runCheck(dir: string) {
  return spawnSync(process.execPath, [check, "--dir", dir], { encoding: "utf8" });
}

describe("platform packages", () => {
  it("one per napi target, each an optional dependency of the same version", () => {
    expect(triples).toEqual(
      [
        "darwin-arm64",
        "darwin-x64",
        "linux-arm64-gnu",
        "linux-x64-gnu",
        "linux-x64-musl",
        "win32-x64-msvc",
      ].sort(),
    );
    expect(root.napi.targets).toContain("x86_64-unknown-linux-musl");
    expect(Object.keys(root.optionalDependencies).sort()).toEqual(
      triples.map((triple) => `@zerobus/backend-native-${triple}`),
    );
    for (const triple of triples) {
      const pkg = platformPackage(triple);
      expect(pkg.name).toBe(`@zerobus/backend-native-${triple}`);
      expect(pkg.version).toBe(root.version);
      expect(root.optionalDependencies[pkg.name]).toBe("workspace:*");
      expect(pkg.os).toHaveLength(1);
      expect(pkg.cpu).toHaveLength(1);
      if (pkg.os[0] === "linux") expect(pkg.libc).toEqual([triple.endsWith("musl") ? "musl" : "glibc"]);
      expect(pkg.files).toEqual([`zerobus-native.${triple}.node`, "LICENSE", "NOTICE"]);
      expect(pkg.repository.directory).toBe(`packages/backend-native/npm/${triple}`);
      expect(pkg.scripts).toEqual({ prepublishOnly: "node ../../scripts/check-platform-binary.mjs" });
    }
  });

  it("a platform package without its binary refuses to publish", () => {
    const result = runCheck(fakePackage("darwin-arm64"));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "@zerobus/backend-native-darwin-arm64: refusing to publish: zerobus-native.darwin-arm64.node is missing",
    );
  });

  it("refuses an empty binary and one built for another OS", () => {
    expect(runCheck(fakePackage("win32-x64-msvc", Buffer.alloc(0))).stderr).toContain("is empty");
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    const wrong = runCheck(fakePackage("darwin-x64", elf));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("is not a darwin binary");
    expect(runCheck(fakePackage("linux-x64-musl", elf)).status).toBe(0);
  });

  it("npm runs the check before publishing (npm publish --dry-run)", () => {
    const dir = fakePackage("linux-arm64-gnu");
    // The generated script points at ../../scripts, as from npm/<triple>; here it is called directly.
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    pkg.scripts.prepublishOnly = `node ${JSON.stringify(check)}`;
    writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
    let output = "";
    try {
      execFileSync("npm", ["publish", "--dry-run", "--ignore-scripts=false"], { cwd: dir, stdio: "pipe" });
    } catch (error) {
      output = String((error as { stderr: Buffer }).stderr);
    }
    expect(output).toContain("refusing to publish: zerobus-native.linux-arm64-gnu.node is missing");
  }, 60_000);
});
