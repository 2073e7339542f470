import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Runs the "## Example" program of each auth package's README, as written, in a fresh Node process
// (TypeScript through tsx, `@zerobus/*` mapped to the sources), against the mock server's real token
// endpoint where it needs one. An example that stops compiling or working fails here.
const packages = join(dirname(fileURLToPath(import.meta.url)), "../..");
let dir: string;
let mock: MockServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "zerobus-readme-"));
  const paths = Object.fromEntries(
    ["core", "auth-oauth", "auth-static", "auth-env"].map((name) => [
      `@zerobus/${name}`,
      [join(packages, name, "src/index.ts")],
    ]),
  );
  paths["@zerobus/core/internal"] = [join(packages, "core/src/internal/index.ts")];
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      extends: join(packages, "auth-env/tsconfig.json"),
      compilerOptions: { paths },
      include: [dir, packages],
    }),
  );
  mock = await createMockServer({ oauth: { workspaceId: "1234567890123456" } });
});

afterAll(async () => {
  await mock?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** The first ```ts block after "## Example" in a package's README. */
async function example(name: string): Promise<string> {
  const readme = await readFile(join(packages, name, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Example"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match?.[1] === undefined) throw new Error(`${name}/README.md has no ts example`);
  return match[1];
}

async function run(name: string, env: Record<string, string>): Promise<string> {
  const file = join(dir, `${name}.mts`);
  await writeFile(file, await example(name));
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^DATABRICKS_|proxy$/i.test(key)),
  );
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", file], {
    cwd: join(packages, "auth-env"),
    env: { ...clean, HOME: dir, TSX_TSCONFIG_PATH: join(dir, "tsconfig.json"), ...env },
    timeout: 60_000,
  });
  return stdout;
}

// Each example starts a Node process; allow for a loaded machine.
describe("README examples", { timeout: 120_000 }, () => {
  it("@zerobus/auth-static", async () => {
    const out = await run("auth-static", { MY_TOKEN: "dapi-readme" });
    expect(out).toBe(
      "[ 'authorization' ]\nStaticTokenProvider {}\n" +
        'StaticHeadersProvider {"headers":"authorization,x-gateway-key"}\n',
    );
  });

  it("@zerobus/auth-oauth, against the mock token endpoint", async () => {
    const before = mock.oauth.requests.length;
    const out = await run("auth-oauth", {
      DATABRICKS_HOST: mock.workspaceUrl,
      DATABRICKS_CLIENT_ID: mock.credentials.clientId,
      DATABRICKS_CLIENT_SECRET: mock.credentials.clientSecret,
    });
    expect(out).toBe(
      "[ 'authorization', 'x-databricks-zerobus-table-name' ]\n" +
        `OAuthClientCredentialsProvider {"workspaceUrl":"${mock.workspaceUrl}","clientId":"${mock.credentials.clientId}"}\n`,
    );
    expect(mock.oauth.requests.slice(before).map((r) => r.status)).toEqual([200]);
  });

  it("@zerobus/auth-env, configured and not", async () => {
    expect(await run("auth-env", { DATABRICKS_TOKEN: "dapi-readme" })).toBe(
      "authenticated: [ 'authorization' ]\n",
    );
    expect(await run("auth-env", {})).toBe(
      "[auth_failed] no Databricks credentials found; looked for: DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET " +
        `(with DATABRICKS_HOST); DATABRICKS_TOKEN; a config file at ${join(dir, ".databrickscfg")} (no such file)\n`,
    );
  });
});
