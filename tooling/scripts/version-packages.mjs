// `pnpm version-packages`: the release step that turns the pending changesets into versions and changelogs.
// `changeset version` bumps every public package (one `fixed` group) and prepends the changesets to each
// package's CHANGELOG.md; it cannot know that backends carry their version in code too (the `x-zerobus-sdk`
// header and the user agent name it), so this script then rewrites `src/version.ts` from package.json.
// Tests keep each `VERSION` equal to its package.json, and check-manifests keeps each CHANGELOG's newest
// heading equal to the version, so a release that skipped this script fails CI.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const changesetBin = join(root, "node_modules/.bin/changeset");

execFileSync(changesetBin, ["version"], { cwd: root, stdio: "inherit" });

const versionLine = /^export const VERSION = "[^"]*";$/m;
for (const entry of readdirSync(join(root, "packages"), { withFileTypes: true })) {
  const versionFile = join(root, "packages", entry.name, "src/version.ts");
  if (!entry.isDirectory() || !existsSync(versionFile)) continue;
  const { version } = JSON.parse(readFileSync(join(root, "packages", entry.name, "package.json"), "utf8"));
  const source = readFileSync(versionFile, "utf8");
  if (!versionLine.test(source))
    throw new Error(`${versionFile} has no \`export const VERSION = "…";\` line`);
  const updated = source.replace(versionLine, `export const VERSION = "${version}";`);
  if (updated !== source) {
    writeFileSync(versionFile, updated);
    console.log(`packages/${entry.name}/src/version.ts → ${version}`);
  }
}
