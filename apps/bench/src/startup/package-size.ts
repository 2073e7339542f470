import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, sep } from "node:path";

/** One installed package: where it resolved to and the bytes it puts on disk. */
export interface PackageSize {
  name: string;
  version: string;
  /** The resolved (real) directory. */
  dir: string;
  bytes: number;
}

/** A group of packages (one backend's share) and its total. */
export interface SizeGroup {
  label: string;
  packages: PackageSize[];
  /** Files counted on top of the packages' own (the native addon's `.node` file). */
  extra: { label: string; bytes: number }[];
  bytes: number;
}

/** W6's package sizes: what a user installs for each backend, and the official binary's package. */
export interface PackageSizes {
  groups: SizeGroup[];
}

interface Manifest {
  name: string;
  version: string;
  files?: string[];
  dependencies?: Record<string, string>;
}

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;

/** The bytes of the regular files under `path` (a file or a directory), never entering `node_modules`. */
function bytesUnder(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = lstatSync(path);
  if (stat.isFile()) return stat.size;
  if (!stat.isDirectory()) return 0;
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    total += bytesUnder(join(path, entry.name));
  }
  return total;
}

/** Files npm always packs whatever `files` says. */
const ALWAYS_PACKED = /^(package\.json|readme(\..*)?|licen[cs]e(\..*)?)$/i;

/**
 * The bytes one package directory puts on a user's disk. A package installed from the registry (its real
 * path is inside a `node_modules`) is exactly what was installed: every file, nested `node_modules` aside.
 * A workspace package would be installed from its packed tarball: `package.json`, README and licence, and
 * the entries of its `files` (all of it when it has none).
 */
function packageBytes(dir: string, manifest: Manifest): number {
  if (dir.includes(`${sep}node_modules${sep}`) || manifest.files === undefined) return bytesUnder(dir);
  let total = 0;
  for (const entry of readdirSync(dir)) if (ALWAYS_PACKED.test(entry)) total += bytesUnder(join(dir, entry));
  for (const entry of manifest.files) if (!ALWAYS_PACKED.test(entry)) total += bytesUnder(join(dir, entry));
  return total;
}

/** Finds `name`'s directory as Node would from inside `fromDir` (walking up the `node_modules` folders). */
function resolvePackageDir(name: string, fromDir: string): string {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`W6 sizes: ${name} is not installed where ${fromDir} would find it`);
    dir = parent;
  }
}

/**
 * The production closure of the packages at `roots`: each package's `dependencies`, recursively, resolved
 * from its real directory; every directory counted once, and none of those in `exclude` (already counted, or
 * left out on purpose).
 */
function closure(
  roots: string[],
  exclude: ReadonlySet<string>,
  skipNames: ReadonlySet<string>,
): PackageSize[] {
  const seen = new Set<string>(exclude);
  const found: PackageSize[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const manifest = readManifest(dir);
    found.push({ name: manifest.name, version: manifest.version, dir, bytes: packageBytes(dir, manifest) });
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      if (skipNames.has(dependency)) continue;
      queue.push(resolvePackageDir(dependency, dir));
    }
  }
  return found;
}

function group(
  label: string,
  packages: PackageSize[],
  extra: { label: string; bytes: number }[] = [],
): SizeGroup {
  const bytes = packages.reduce((sum, p) => sum + p.bytes, 0) + extra.reduce((sum, e) => sum + e.bytes, 0);
  return { label, packages, extra, bytes };
}

const BACKEND_JS = "@zerobus/backend-js";
const BACKEND_NATIVE = "@zerobus/backend-native";
const OFFICIAL = "@databricks/zerobus-ingest-sdk-linux-x64-gnu";

/**
 * Measures, from the resolved package directories of this install: `@zerobus/sdk` with its production
 * dependencies but neither backend (sdk + core alone); what backend-js adds (grpc-js, protobuf, …); what
 * backend-native adds, with its built addon (`packages/backend-native/addon/*.node`, shipped to users in a
 * platform package); and the official SDK's platform package (its `.node` file), when installed.
 */
export function measurePackageSizes(): PackageSizes {
  const require = createRequire(import.meta.url);
  const sdkDir = dirname(realpathSync(require.resolve("@zerobus/sdk/package.json")));
  const backends = new Set([BACKEND_JS, BACKEND_NATIVE]);
  const base = closure([sdkDir], new Set(), backends);
  const counted = new Set(base.map((p) => p.dir));
  const js = closure([resolvePackageDir(BACKEND_JS, sdkDir)], counted, new Set());
  const nativeDir = resolvePackageDir(BACKEND_NATIVE, sdkDir);
  const native = closure([nativeDir], counted, new Set());
  const addonDir = join(nativeDir, "addon");
  const addons = existsSync(addonDir)
    ? readdirSync(addonDir)
        .filter((file) => file.endsWith(".node"))
        .map((file) => ({ label: `addon/${file}`, bytes: bytesUnder(join(addonDir, file)) }))
    : [];
  const groups = [
    group("sdk + core alone (no backend)", base),
    group("+ backend-js", js),
    group(addons.length > 0 ? "+ backend-native" : "+ backend-native (addon not built)", native, addons),
  ];
  try {
    const officialDir = dirname(realpathSync(require.resolve(`${OFFICIAL}/package.json`)));
    groups.push(group("official binary package", closure([officialDir], new Set(), new Set())));
  } catch {
    groups.push(group("official binary package (not installed)", []));
  }
  return { groups };
}
