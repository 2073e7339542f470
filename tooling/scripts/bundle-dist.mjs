// Bundles the JavaScript of the package in the current directory (run by its `build` after
// `tsc --emitDeclarationOnly`): one file per entry of its exports map, from `src/`, with the code that several
// entries share in `dist/chunks/`, and dynamic `import()`s of its own files split out so they still load only
// when called. Every import of another package (ours, a dependency, `node:`) stays an import. Why: a fresh
// Node process pays about 0.6 ms per ES module it loads (resolve, read, compile, link): `@zerobus/sdk` with
// the 45 files it loaded from itself and core took 35 ms to import, bundled 8 (W6 of issue 15). The
// declarations stay tsc's, one per source file.
//
// No source maps: they were a third of each tarball and pointed at `src/*.ts` files that do not ship, so a
// debugger or stack trace could not use them (and a declaration map sent "go to definition" to a missing
// file instead of the `.d.ts` with its TSDoc). The bundles are not minified and keep their names
// (`keepNames`), so a stack trace into `dist/` reads much as the source does (issue 16).
//
// `--inline <package>` (repeatable) bundles what the package uses of that dependency too (a dependency with
// many small modules, of which it needs few); the licence header of each of its files is kept.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";

const packageDir = process.cwd();
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
const { build } = createRequire(join(packageDir, "package.json"))("esbuild");
const inline = new Set(parseArgs({ options: { inline: { type: "string", multiple: true } } }).values.inline);

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`. */
const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** Every import of another package stays external, except those of `--inline` packages. */
const externals = {
  name: "externals",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      inline.has(packageOf(path)) ? undefined : { path, external: true },
    );
    // An inlined file's leading comment (its copyright and licence) becomes a legal comment, which esbuild
    // keeps in the bundle.
    build.onLoad({ filter: /\/node_modules\/.*\.js$/ }, ({ path }) => {
      const code = readFileSync(path, "utf8");
      const header = code.match(/^(?:\/\/.*\n)+/)?.[0];
      if (header === undefined) return undefined;
      const text = header
        .replace(/^\/\/ ?/gm, "")
        .replaceAll("*/", "* /")
        .trimEnd();
      return { contents: `/*!\n${text}\n*/\n${code.slice(header.length)}`, loader: "js" };
    });
  },
};

/** `./dist/internal/index.js` → `src/internal/index.ts`, for each export that has JavaScript. */
const entryPoints = Object.values(manifest.exports)
  .map((target) => (typeof target === "object" ? target.default : undefined))
  .filter((file) => typeof file === "string" && file.startsWith("./dist/") && file.endsWith(".js"))
  .map((file) => file.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts"));
if (entryPoints.length === 0) throw new Error(`${manifest.name}: no JavaScript entry in its exports map`);

// JavaScript and maps a previous, per-file build left behind would be packed with the bundle.
const dist = join(packageDir, "dist");
for (const file of readdirSync(dist, { recursive: true })) {
  if (/\.js(\.map)?$|\.d\.ts\.map$/.test(file)) rmSync(join(dist, file));
}

await build({
  absWorkingDir: packageDir,
  entryPoints,
  outdir: "dist",
  outbase: "src",
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  plugins: [externals],
  legalComments: "inline",
  // Where two files of one output declare the same top-level name, esbuild renames one; this keeps the
  // `name` of each class and function what the source says (error names, stack traces, `inspect` output).
  keepNames: true,
  sourcemap: false,
  logLevel: "warning",
});
