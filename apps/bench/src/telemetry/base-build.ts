import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const repositoryRoot = new URL("../../../../", import.meta.url).pathname;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
}

/**
 * The `@zerobus/sdk` of commit `rev`, built in a git worktree of its own under `~/.cache` (made once, kept
 * for the next run), for the "before" clients of W7: returns the file URL of its `dist/index.js`. Installed
 * offline from the pnpm store, built without cargo; the native addon is this checkout's when `native/` did
 * not change since `rev` (the same Rust, so the same binary), else it is built there.
 */
export function buildBase(rev: string, log: (line: string) => void): string {
  const commit = run("git", ["rev-parse", "--verify", `${rev}^{commit}`], repositoryRoot).trim();
  const dir = join(homedir(), ".cache", "zerobus-bench-base", commit.slice(0, 12));
  const sdkEntry = join(dir, "packages/sdk/dist/index.js");
  if (!existsSync(sdkEntry)) {
    log(`building the SDK of ${commit.slice(0, 12)} in ${dir} (once)…`);
    mkdirSync(join(dir, ".."), { recursive: true });
    if (!existsSync(join(dir, ".git"))) {
      run("git", ["worktree", "add", "--force", "--detach", dir, commit], repositoryRoot);
    }
    run("pnpm", ["install", "--offline", "--frozen-lockfile"], dir);
    run(
      "pnpm",
      ["turbo", "run", "build", "--filter=@zerobus/sdk...", "--filter=@zerobus/backend-native"],
      dir,
      { ZEROBUS_SKIP_NATIVE_BUILD: "1" },
    );
  }
  const nativeChanged =
    run("git", ["diff", "--name-only", commit, "--", "native"], repositoryRoot).trim() !== "";
  const addonDir = "packages/backend-native/addon";
  if (nativeChanged) {
    run("pnpm", ["--filter", "@zerobus/backend-native", "build:native"], dir);
  } else {
    for (const file of readdirSync(join(repositoryRoot, addonDir))) {
      if (file.endsWith(".node"))
        copyFileSync(join(repositoryRoot, addonDir, file), join(dir, addonDir, file));
    }
  }
  return pathToFileURL(sdkEntry).href;
}
