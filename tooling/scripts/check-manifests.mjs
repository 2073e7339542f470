// Checks what each public package publishes besides its code (issue 16), before check-packages.mjs packs them:
// - no exact pin of a runtime dependency: a user whose own `@bufbuild/protobuf` was newer than our pin got two
//   copies and two `DescMessage` types (TS2769 in the README's proto example). Ranges dedupe. Our own
//   packages (`workspace:`) are exempt: they are released together (a changesets `fixed` group) and share
//   `@zerobus/core/internal`, which is outside semver.
// - `repository` (with this package's `directory`), `homepage` and `bugs`, for the npm page.
// - LICENSE and NOTICE, the same as the root's, in the package and in its `files`.
// - no relative link in its README: npm shows the README without the repository around it.
// - no source map in `dist`: its `sources` would point at `src/*.ts`, which does not ship.
// - no `@internal` in a `.d.ts` of `dist`: `stripInternal` drops every member tagged so (test helpers such as
//   TableRecording's constructor, ZerobusStream's wiring); a tag left there means an internal member shipped.
// - a CHANGELOG.md written by changesets (`pnpm version-packages`), in `files`, whose newest version heading is
//   the package's version: a release that bumped versions by hand, or skipped the changelog, fails here.
// - every pending changeset (`.changeset/*.md`) starts with the front matter changesets parses, naming public
//   packages with a bump: a formatter once rewrote a one-package front matter into a `## "…": minor` heading,
//   which `changeset version` refuses at release time, far from the change.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const rootFile = (name) => readFileSync(join(root, name), "utf8");
const legalFiles = ["LICENSE", "NOTICE"];
const runtimeFields = ["dependencies", "peerDependencies", "optionalDependencies"];

/** `1.2.3`, `=1.2.3`, `v1.2.3` or `1.2.3-rc.1`: one version, where a range (`^1.2.3`, `~1.2`, `>=1`) dedupes. */
const isExactPin = (spec) => /^(?:=|v)?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(spec.trim());
/** `npm:name@1.2.3` pins as much as `1.2.3` does. */
const versionOf = (spec) => (spec.startsWith("npm:") ? spec.slice(spec.lastIndexOf("@") + 1) : spec);

/** Link targets in Markdown and HTML: `[text](target)`, `![alt](target)`, `[label]: target`, `href="…"`, `src="…"`. */
function linkTargets(markdown) {
  const withoutCode = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "")
    .replace(/`[^`\n]*`/g, "``");
  const targets = [];
  for (const pattern of [
    /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
    /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm,
    /\b(?:href|src)\s*=\s*["']([^"']+)["']/g,
  ]) {
    for (const match of withoutCode.matchAll(pattern)) targets.push(match[1]);
  }
  return targets;
}
/** Absolute (`https:`, `mailto:` …) or an anchor within the README itself. */
const worksOnNpm = (target) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#");

/** Files under `dir`, relative to it; none if it does not exist. */
function filesUnder(dir) {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
  } catch {
    return [];
  }
}

/** What is wrong with a package's CHANGELOG.md (changesets' layout: `# name`, then `## version` newest first). */
function changelogProblems(packageDir, manifest) {
  let changelog;
  try {
    changelog = readFileSync(join(packageDir, "CHANGELOG.md"), "utf8");
  } catch {
    return ["no CHANGELOG.md (run `pnpm version-packages`, which writes it from the pending changesets)"];
  }
  const problems = [];
  if (Array.isArray(manifest.files) && !manifest.files.includes("CHANGELOG.md"))
    problems.push('"files" lacks CHANGELOG.md');
  if (!changelog.startsWith(`# ${manifest.name}\n`))
    problems.push(`CHANGELOG.md does not start with "# ${manifest.name}"`);
  const newest = /^## (\S+)/m.exec(changelog)?.[1];
  if (newest !== manifest.version) {
    problems.push(
      `CHANGELOG.md's newest version is ${newest ?? "missing"}, package.json's is ${manifest.version}: ` +
        "bump versions with `pnpm version-packages`, not by hand",
    );
  }
  return problems;
}

/** The problems of one package directory, or none. */
function problemsOf(dir, manifest) {
  const problems = [];
  const packageDir = join(root, "packages", dir);
  for (const field of runtimeFields) {
    for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
      if (spec.startsWith("workspace:")) continue;
      if (isExactPin(versionOf(spec))) {
        problems.push(
          `${field}.${name} is pinned to "${spec}": use a range (e.g. "^${spec.replace(/^[=v]/, "")}")`,
        );
      }
    }
  }

  const repository = manifest.repository;
  if (typeof repository !== "object" || typeof repository?.url !== "string") {
    problems.push('no "repository": { "type": "git", "url": …, "directory": … }');
  } else if (repository.directory !== `packages/${dir}`) {
    problems.push(`repository.directory is ${JSON.stringify(repository.directory)}, not "packages/${dir}"`);
  }
  if (typeof manifest.homepage !== "string") problems.push('no "homepage"');
  if (typeof manifest.bugs?.url !== "string" && typeof manifest.bugs !== "string") problems.push('no "bugs"');

  for (const name of legalFiles) {
    let text;
    try {
      text = readFileSync(join(packageDir, name), "utf8");
    } catch {
      problems.push(`no ${name} (copy the root's)`);
      continue;
    }
    if (text !== rootFile(name)) problems.push(`${name} differs from the root's (copy it again)`);
    if (Array.isArray(manifest.files) && !manifest.files.includes(name))
      problems.push(`"files" lacks ${name}`);
  }

  let readme = "";
  try {
    readme = readFileSync(join(packageDir, "README.md"), "utf8");
  } catch {
    problems.push("no README.md");
  }
  for (const target of linkTargets(readme)) {
    if (!worksOnNpm(target))
      problems.push(`README.md links to "${target}", which breaks on npm: use an absolute URL`);
  }

  problems.push(...changelogProblems(packageDir, manifest));

  const distFiles = filesUnder(join(packageDir, "dist"));
  const internals = distFiles.filter(
    (file) =>
      file.endsWith(".d.ts") && readFileSync(join(packageDir, "dist", file), "utf8").includes("@internal"),
  );
  if (internals.length > 0) {
    problems.push(
      `@internal declarations in dist/${internals[0]}${internals.length > 1 ? ` and ${internals.length - 1} more` : ""}: build with "stripInternal": true`,
    );
  }
  const maps = distFiles.filter((file) => file.endsWith(".map"));
  if (maps.length > 0) {
    problems.push(
      `${maps.length} source map(s) in dist, such as dist/${maps[0]} (a stale build? delete dist, rebuild)`,
    );
  }
  return problems;
}

/** Libraries that build or parse X.509 certificates: the repository keeps one (the mock server's). */
const x509Libraries = ["node-forge", "@peculiar/x509", "pkijs", "jsrsasign", "selfsigned"];
/** Which of them each workspace package declares, any dependency field. */
const x509Users = new Map();

let failures = 0;
let checked = 0;
for (const entry of readdirSync(join(root, "packages"), { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, "packages", entry.name, "package.json"), "utf8"));
  } catch {
    continue;
  }
  for (const field of [...runtimeFields, "devDependencies"]) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      if (x509Libraries.includes(name)) x509Users.set(name, [...(x509Users.get(name) ?? []), manifest.name]);
    }
  }
  if (manifest.private) continue;
  checked++;
  const problems = problemsOf(entry.name, manifest);
  failures += problems.length;
  console.log(problems.length === 0 ? `ok   manifest ${manifest.name}` : `FAIL manifest ${manifest.name}`);
  for (const problem of problems) console.log(`       ${problem}`);
}
/** The problems of one pending changeset's front matter, given the public packages' names. */
function changesetProblems(text, publicNames) {
  const match = /^---\n((?:"[^"\n]+": (?:major|minor|patch)\n)+)---\n/.exec(text);
  if (!match) return ['its front matter is not `---`, lines of `"@zerobus/name": major|minor|patch`, `---`'];
  const problems = [];
  for (const [, name] of match[1].matchAll(/^"([^"]+)"/gm)) {
    if (!publicNames.has(name)) problems.push(`it names ${name}, which is not a public package here`);
  }
  return problems;
}

const publicNames = new Set();
for (const entry of readdirSync(join(root, "packages"), { withFileTypes: true })) {
  try {
    const manifest = JSON.parse(readFileSync(join(root, "packages", entry.name, "package.json"), "utf8"));
    if (!manifest.private) publicNames.add(manifest.name);
  } catch {}
}
for (const file of readdirSync(join(root, ".changeset"))) {
  if (!file.endsWith(".md") || file === "README.md") continue;
  const problems = changesetProblems(readFileSync(join(root, ".changeset", file), "utf8"), publicNames);
  failures += problems.length;
  console.log(problems.length === 0 ? `ok   changeset ${file}` : `FAIL changeset ${file}`);
  for (const problem of problems) console.log(`       ${problem}`);
}

if (x509Users.size > 1) {
  failures++;
  const uses = [...x509Users].map(([name, users]) => `${name} (${users.join(", ")})`).join("; ");
  console.log(`FAIL more than one X.509 library: ${uses}; keep the mock server's (generateTls)`);
}
console.log(`${checked} packages checked, ${failures} problem(s)`);
process.exit(failures === 0 ? 0 : 1);
