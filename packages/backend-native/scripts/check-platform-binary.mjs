#!/usr/bin/env node
// The `prepublishOnly` of every platform package (npm/<triple>, set by scripts/platform-packages.mjs):
// refuses to publish a package whose `.node` binary is missing, empty or built for another OS, so a
// release can never ship an empty `@zerobus/backend-native-<triple>` (users would silently get js).
// Run from the platform package's folder (npm and pnpm run scripts there); `--dir <folder>` for tests.
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { dir: { type: "string" } } });
const dir = resolve(values.dir ?? process.cwd());
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

// The first bytes of a binary for each `os` of a platform package.
const magic = {
  linux: [Buffer.from([0x7f, 0x45, 0x4c, 0x46])], // ELF
  darwin: [Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), Buffer.from([0xca, 0xfe, 0xba, 0xbe])], // Mach-O 64, fat
  win32: [Buffer.from("MZ")], // PE
};

function fail(message) {
  console.error(`${pkg.name}: refusing to publish: ${message}`);
  console.error(
    "Build the binary for this target and place it here first (packages/backend-native/README.md, " +
      '"Releasing the platform packages": scripts/release/build-target.sh, then `napi artifacts`).',
  );
  process.exit(1);
}

const binary = pkg.main;
if (typeof binary !== "string" || !binary.endsWith(".node")) fail(`"main" is not a .node file: ${binary}`);
if (!pkg.files?.includes(binary)) fail(`"files" does not list ${binary}`);
let size;
try {
  size = statSync(join(dir, binary)).size;
} catch {
  fail(`${binary} is missing`);
}
if (size === 0) fail(`${binary} is empty`);
const head = Buffer.alloc(4);
const fd = openSync(join(dir, binary), "r");
readSync(fd, head, 0, 4, 0);
closeSync(fd);
const os = pkg.os?.[0];
if (!(magic[os] ?? []).some((bytes) => head.subarray(0, bytes.length).equals(bytes)))
  fail(`${binary} is not a ${os} binary (first bytes ${head.toString("hex")})`);
console.log(`${pkg.name}: ${binary} present (${size} bytes)`);
