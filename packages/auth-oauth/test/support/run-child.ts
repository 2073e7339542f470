import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, "../..");

/** One scenario of `get-headers-child.ts`. */
export interface ChildScenario {
  workspaceUrl: string;
  env: Record<string, string>;
}

/** One result: the headers, or the error's code and message. */
export interface ChildResult {
  headers?: Record<string, string>;
  error?: { code: string; message: string };
}

/**
 * Runs the scenarios in a fresh Node process (TypeScript through tsx, `@zerobus/*` mapped to sources by
 * `tsconfig.child.json`), with `NODE_EXTRA_CA_CERTS` set when `extraCaFile` is given.
 */
export async function runChild(scenarios: ChildScenario[], extraCaFile?: string): Promise<ChildResult[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, ZEROBUS_TEST_SCENARIOS: JSON.stringify(scenarios) };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  if (extraCaFile !== undefined) env.NODE_EXTRA_CA_CERTS = extraCaFile;
  env.TSX_TSCONFIG_PATH = join(here, "tsconfig.child.json");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", join(here, "get-headers-child.ts")],
    { cwd: packageRoot, env, timeout: 60_000 },
  );
  return JSON.parse(stdout) as ChildResult[];
}
