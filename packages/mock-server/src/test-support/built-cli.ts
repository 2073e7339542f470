import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../..", import.meta.url));

/** The built `zerobus-mock` the CLI tests run, as npm users run it (from dist, not from the sources). */
export const cliPath = join(packageDir, "dist/cli.js");

/** Newest modification time of the sources that go into dist. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the package when dist/cli.js is missing or older than a source: `pnpm test` builds first, a lone
 * vitest run of a CLI test may not have. Call it from `beforeAll` with a timeout of ~150 s.
 */
export function ensureCliBuilt(): void {
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= newestSource(join(packageDir, "src"))) return;
  execFileSync(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@zerobus/mock-server", "--output-logs=errors-only"],
    { cwd: join(packageDir, "../.."), stdio: "ignore", timeout: 120_000 },
  );
}
