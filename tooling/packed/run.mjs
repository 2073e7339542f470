#!/usr/bin/env node
// The CI job on the packed tarballs (issue #16): what an npm user gets, not what the workspace links.
//
//   node tooling/packed/run.mjs [--keep] [--counts <file>]      (after `pnpm build`, with the addon built)
//
// 1. `pnpm pack` of every public package under packages/, and of this machine's platform package
//    (npm/<triple> with the built addon copied in, as `napi artifacts` fills it), into a temporary folder.
// 2. A new npm app under os.tmpdir() (outside the workspace: no pnpm links, no NODE_PATH, no cargo on PATH)
//    installs the tarballs plus pinned tool versions, bumped on purpose.
// 3. A small matrix: every combination type-checks (strict, NodeNext, skipLibCheck off) the root README's
//    JSON and Protocol Buffers examples (extracted from README.md, so they cannot drift) and a vitest file;
//    the first one also runs them: the examples against a TLS mock server on the native backend, the vitest
//    file (`sdk.backend === "native"`, a record acknowledged by the `@zerobus/mock-server/vitest` fixture's
//    server and checked with its matchers), @zerobus/mock-server's main entry with vitest refused (only the
//    ./vitest subpath may load it), and, with the platform package removed, `backendReason` naming it.
// Prints one `ok`/`FAIL` line per check and `packed: <passed> passed, <failed> failed`; --counts writes
// "<passed> <failed>" for .ci/run. Exits non-zero when a check failed.
import { execFile } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { readmeExample } from "./readme-examples.mjs";

const exec = promisify(execFile);
const { values: options } = parseArgs({
  options: { keep: { type: "boolean", default: false }, counts: { type: "string" } },
});
const root = join(import.meta.dirname, "../..");
const fixtures = join(import.meta.dirname, "fixtures");

/**
 * The tool versions users install next to ours. Pinned, and bumped on purpose: the first row is the oldest
 * we support (and runs everything), the others the newest on the registry when this was written (TypeScript
 * 7.0 is the native compiler). Each other row only type-checks, to keep the job cheap.
 */
const matrix = [
  { typescript: "5.9.3", protobuf: "2.10.1", run: true },
  { typescript: "5.9.3", protobuf: "2.17.0" },
  { typescript: "7.0.2", protobuf: "2.17.0" },
];
const vitestVersion = "4.1.12";
const typesNodeVersion = "20.19.43";

const results = [];
function record(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `\n${detail.trimEnd()}` : ""}`);
  return ok;
}

/** Runs a command, recording it as one check; returns whether it passed. */
async function check(name, file, args, opts) {
  const started = Date.now();
  try {
    const { stdout } = await exec(file, args, { maxBuffer: 64 << 20, timeout: 240_000, ...opts });
    return record(
      `${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`,
      true,
      opts.verbose ? stdout : "",
    );
  } catch (error) {
    return record(
      name,
      false,
      `${error.stdout ?? ""}${error.stderr ?? ""}${error.stdout ? "" : error.message}`,
    );
  }
}

/** The environment of a user's shell: no cargo (nor any Rust) on PATH, nothing of pnpm's or the workspace's. */
function userEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|PNPM_|NODE_PATH$|NODE_OPTIONS$|ZEROBUS_|VITEST|TURBO_|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir && !existsSync(join(dir, "cargo")) && !existsSync(join(dir, "rustc")))
    .join(delimiter);
  return env;
}

/** `<os>-<cpu>[-<abi>]` of this machine, as the napi loader names the platform package. */
function platformTriple() {
  const base = `${process.platform}-${process.arch}`;
  if (process.platform === "win32") return `${base}-msvc`;
  if (process.platform !== "linux") return base;
  return `${base}-${process.report.getReport().header.glibcVersionRuntime ? "gnu" : "musl"}`;
}

async function pack(dir, destination) {
  const { stdout } = await exec("pnpm", ["pack", "--pack-destination", destination], { cwd: dir });
  return stdout.trim().split("\n").at(-1).trim();
}

async function main() {
  const triple = platformTriple();
  const nativeDir = join(root, "packages/backend-native");
  const addon = join(nativeDir, "addon", `zerobus-native.${triple}.node`);
  if (!existsSync(addon)) {
    record(`the native addon is built (${addon})`, false, "run `pnpm build` with cargo first");
    return;
  }
  if (!existsSync(join(nativeDir, "npm", triple))) {
    record(`a platform package exists for ${triple}`, false);
    return;
  }

  const work = mkdtempSync(join(tmpdir(), "zerobus-packed-"));
  console.log(`working in ${work}`);
  try {
    const tarballs = join(work, "tarballs");
    mkdirSync(tarballs);
    const publicDirs = readdirSync(join(root, "packages"))
      .map((name) => join(root, "packages", name))
      .filter((dir) => existsSync(join(dir, "package.json")))
      .filter((dir) => !JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).private);
    // This machine's platform package, filled the way `napi artifacts` fills it, packed from a copy so the
    // workspace keeps no binary in npm/<triple>.
    const platformDir = join(work, "platform", triple);
    cpSync(join(nativeDir, "npm", triple), platformDir, { recursive: true });
    copyFileSync(addon, join(platformDir, `zerobus-native.${triple}.node`));
    const started = Date.now();
    const packed = await Promise.all([...publicDirs, platformDir].map((dir) => pack(dir, tarballs)));
    record(`pnpm pack of ${packed.length} packages (${((Date.now() - started) / 1000).toFixed(1)}s)`, true);

    const app = join(work, "app");
    cpSync(fixtures, app, {
      recursive: true,
      filter: (src) => !src.endsWith(".proto") && !src.endsWith(".yaml"),
    });
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const examples = {
      "readme-json": readmeExample(readme, "JSON records"),
      "readme-proto": readmeExample(readme, "Protocol Buffers records"),
    };
    for (const [name, source] of Object.entries(examples))
      writeFileSync(join(app, "src", `${name}.ts`), source);

    const dependencies = {};
    for (const file of packed) {
      const manifest = await exec("tar", ["-xOzf", file, "package/package.json"]);
      dependencies[JSON.parse(manifest.stdout).name] = `file:${file}`;
    }
    const [first, ...others] = matrix;
    writeFileSync(
      join(app, "package.json"),
      `${JSON.stringify(
        {
          name: "zerobus-packed-app",
          private: true,
          type: "module",
          dependencies: { ...dependencies, "@bufbuild/protobuf": first.protobuf },
          devDependencies: {
            typescript: first.typescript,
            vitest: vitestVersion,
            "@types/node": typesNodeVersion,
          },
        },
        null,
        2,
      )}\n`,
    );

    const env = userEnv();
    const inApp = { cwd: app, env };
    const bin = (name) => join(app, "node_modules", ".bin", name);
    const npmFlags = ["--no-audit", "--no-fund", "--loglevel=error"];
    await check("`cargo` is not on PATH", "sh", ["-c", "! command -v cargo"], inApp);
    if (
      !(await check("npm install of the tarballs (no cargo on PATH)", "npm", ["install", ...npmFlags], inApp))
    )
      return;

    const combo = (row) => `TypeScript ${row.typescript}, @bufbuild/protobuf ${row.protobuf}`;
    await check(`${combo(first)}: tsc (README examples and the vitest file)`, bin("tsc"), [], inApp);
    await check(
      "README JSON and Protocol Buffers examples run on native against the mock server",
      process.execPath,
      ["run-examples.mjs", "out/src/readme-json.js", "out/src/readme-proto.js"],
      { ...inApp, verbose: true },
    );
    await check(
      "vitest with @zerobus/mock-server/vitest (fixture and matchers): native, a record acknowledged",
      bin("vitest"),
      // test/ only: tsc also emitted the file into out/test/.
      ["run", "--dir", "test"],
      inApp,
    );

    await check(
      "@zerobus/mock-server's main entry loads no vitest",
      process.execPath,
      ["check-no-vitest.mjs"],
      { ...inApp, verbose: true },
    );

    const platformPackage = join(app, "node_modules", "@zerobus", `backend-native-${triple}`);
    renameSync(platformPackage, `${platformPackage}.removed`);
    try {
      await check(
        `without @zerobus/backend-native-${triple}: js, and backendReason names the package`,
        process.execPath,
        ["check-missing-binary.mjs", `@zerobus/backend-native-${triple}`],
        { ...inApp, verbose: true },
      );
    } finally {
      renameSync(`${platformPackage}.removed`, platformPackage);
    }

    for (const row of others) {
      const installed = await check(
        `${combo(row)}: npm install`,
        "npm",
        [
          "install",
          ...npmFlags,
          "--save-exact",
          `typescript@${row.typescript}`,
          `@bufbuild/protobuf@${row.protobuf}`,
        ],
        inApp,
      );
      if (installed) await check(`${combo(row)}: tsc`, bin("tsc"), ["--noEmit"], inApp);
    }
  } finally {
    if (options.keep) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  record("the packed job itself", false, error.stack ?? String(error));
}
const passed = results.filter((result) => result.ok).length;
const failed = results.length - passed;
console.log(`packed: ${passed} passed, ${failed} failed`);
if (options.counts) writeFileSync(options.counts, `${passed} ${failed}\n`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
