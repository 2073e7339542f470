// Checks every public package's tarball as users get it: publint (package.json, exports, files) and
// @arethetypeswrong/cli with the esm-only profile (types resolve for every ESM consumer). Run after build.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const bin = (name) => join(root, "node_modules/.bin", name);
const publicPackages = readdirSync(join(root, "packages"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(root, "packages", entry.name))
  .filter((dir) => {
    try {
      return !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private;
    } catch {
      return false;
    }
  });

let failures = 0;
for (const dir of publicPackages) {
  const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name;
  for (const [tool, args] of [
    ["publint", ["--strict", dir]],
    ["attw", ["--pack", dir, "--profile", "esm-only", "--format", "table-flipped"]],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd: root, stdio: "pipe" });
      console.log(`ok   ${tool} ${name}`);
    } catch (error) {
      failures++;
      console.log(`FAIL ${tool} ${name}\n${error.stdout}${error.stderr}`);
    }
  }
}
console.log(`${publicPackages.length} packages checked, ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
