import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProjectInlineConfiguration } from "vitest/config";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Maps every `@zerobus/<pkg>` and `@zerobus/<pkg>/<subpath>` import to the package's TypeScript source, so
 * tests run against `src/` without a build. Subpaths live in `src/<subpath>/index.ts`; the private packages
 * under `tooling/` are named one by one.
 */
export const sourceAliases = [
  {
    find: /^@zerobus\/conformance$/,
    replacement: join(root, "tooling/conformance/src/index.ts"),
  },
  {
    find: /^@zerobus\/test-support$/,
    replacement: join(root, "tooling/test-support/src/index.ts"),
  },
  {
    find: /^@zerobus\/([a-z-]+)\/([a-z-]+)$/,
    replacement: join(root, "packages/$1/src/$2/index.ts"),
  },
  {
    find: /^@zerobus\/([a-z-]+)$/,
    replacement: join(root, "packages/$1/src/index.ts"),
  },
];

/** Per-project settings for a folder; `serial` projects run their files one at a time. */
const serialProjects = new Set(["backend-js", "backend-native", "conformance", "sdk"]);

function project(dir: string, name: string): TestProjectInlineConfiguration {
  return {
    resolve: { alias: sourceAliases },
    test: {
      name,
      root: join(root, dir),
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      ...(serialProjects.has(name) ? { fileParallelism: false } : {}),
    },
  };
}

/** Whether `pnpm build` produced the native addon on this machine. */
function nativeAddonBuilt(): boolean {
  const addon = join(root, "packages/backend-native/addon");
  return existsSync(addon) && readdirSync(addon).some((file) => file.endsWith(".node"));
}

/** One vitest project per package, app and tooling folder that has tests. */
export function zerobusProjects(): TestProjectInlineConfiguration[] {
  const projects: TestProjectInlineConfiguration[] = [];
  for (const group of ["packages", "apps", "tooling"]) {
    // git keeps no empty folders: `apps/` does not exist in a fresh clone until an app is committed.
    if (!existsSync(join(root, group))) continue;
    for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = `${group}/${entry.name}`;
      if (!existsSync(join(root, dir, "package.json"))) continue;
      if (entry.name === "backend-native" && !nativeAddonBuilt()) {
        // Without Rust (or with ZEROBUS_SKIP_NATIVE_BUILD=1) there is no addon to test; the SDK runs on js.
        // CI requires this project to run, so a failed native build cannot pass unnoticed there.
        console.warn("backend-native: the addon is not built, its tests do not run");
        continue;
      }
      projects.push(project(dir, entry.name));
    }
  }
  return projects;
}
