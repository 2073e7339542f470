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
 * `tsconfig.child.json`), with `NODE_EXTRA_CA_CERTS` set when `extraCaFile` is given, and under
 * `load-recorder.mjs` (every module resolved, then `--- imported` and `--- scenario <n> done`) when
 * `loadLog` names a file.
 */
export async function runChild(
  scenarios: ChildScenario[],
  extraCaFile?: string,
  loadLog?: string,
): Promise<ChildResult[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, ZEROBUS_TEST_SCENARIOS: JSON.stringify(scenarios) };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  if (extraCaFile !== undefined) env.NODE_EXTRA_CA_CERTS = extraCaFile;
  env.TSX_TSCONFIG_PATH = join(here, "tsconfig.child.json");
  const recorder: string[] = [];
  if (loadLog !== undefined) {
    env.ZB_LOAD_LOG = loadLog;
    recorder.push("--import", join(here, "load-recorder.mjs"));
  }
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", ...recorder, join(here, "get-headers-child.ts")],
    { cwd: packageRoot, env, timeout: 60_000 },
  );
  return JSON.parse(stdout) as ChildResult[];
}
