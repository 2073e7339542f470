import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MockServerInfo } from "./admin/mock-server-info.js";
import { GrpcStatusCode } from "./status.js";
import { cliPath, ensureCliBuilt } from "./test-support/built-cli.js";
import { TestStream } from "./test-support/test-stream.js";

const TABLE = "main.default.admin";
const children: ChildProcess[] = [];
const streams: TestStream[] = [];
const scratch = mkdtempSync(join(tmpdir(), "zerobus-mock-cli-test-"));
const run = promisify(execFile);

beforeAll(ensureCliBuilt, 150_000);

afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  info: MockServerInfo;
  exit: Promise<{ code: number | null; stderr: string }>;
}

/** Runs `zerobus-mock --json …` and resolves with the line it printed, parsed. */
function startJson(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [cliPath, "--json", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stderr })),
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.endsWith("\n")) resolve({ child, info: JSON.parse(stdout) as MockServerInfo, exit });
    });
    void exit.then(({ code }) => reject(new Error(`zerobus-mock exited with ${code}: ${stderr}${stdout}`)));
  });
}

/** Runs `curl` (a client that is not Node) and returns its output; `--fail-with-body` makes a 4xx fail. */
async function curl(...args: string[]): Promise<string> {
  const { stdout } = await run("curl", ["--silent", "--show-error", "--fail-with-body", ...args], {
    timeout: 20_000,
  });
  return stdout;
}

describe("zerobus-mock admin endpoint", () => {
  it("--json prints one line with everything a client needs, and GET /info agrees", async () => {
    const tables = join(scratch, "tables.json");
    writeFileSync(tables, JSON.stringify({ [TABLE]: { columns: { device: "STRING", reading: "DOUBLE" } } }));
    const { child, info, exit } = await startJson(["--tables", tables, "--undeclared-tables", "accept"]);
    expect(info).toEqual({
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      address: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      workspaceUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      tokenUrl: `${info.workspaceUrl}/oidc/v1/token`,
      clientId: "zerobus-mock-client",
      clientSecret: "zerobus-mock-secret",
      adminUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      pid: child.pid,
    });
    expect(info.endpoint).toBe(`http://${info.address}`);
    expect(JSON.parse(await curl(`${info.adminUrl}/info`))).toEqual(info);

    child.kill("SIGTERM");
    expect((await exit).code).toBe(0);
  });

  it("with --tls prints the CA PEM and its path, and SIGTERM exits 0 leaving no temp dir", async () => {
    const { child, info, exit } = await startJson(["--tls", "--no-admin"]);
    expect(info.endpoint).toMatch(/^https:\/\/localhost:\d+$/);
    expect(info.adminUrl).toBeUndefined();
    expect(info.ca).toContain("BEGIN CERTIFICATE");
    expect(readFileSync(info.caPath!, "utf8")).toBe(info.ca);
    child.kill("SIGTERM");
    const { code, stderr } = await exit;
    expect(code).toBe(0);
    expect(stderr).toBe("zerobus-mock stopped (SIGTERM)\n");
    expect(existsSync(dirname(info.caPath!))).toBe(false);
  });

  it.each([
    ["not JSON", "{", "not JSON"],
    [
      "a table without columns",
      JSON.stringify({ [TABLE]: { colums: {} } }),
      `table ${TABLE}: unknown key "colums"`,
    ],
  ])("refuses a --tables file that is %s and exits 2", async (_what, text, message) => {
    const tables = join(scratch, "bad-tables.json");
    writeFileSync(tables, text);
    await expect(startJson(["--tables", tables])).rejects.toThrow(
      new RegExp(`exited with 2: zerobus-mock: --tables ${tables}: .*${message.replace(/[()]/g, "\\$&")}`),
    );
  });

  it("lets curl script a fault that a gRPC client sees, then read the records back", async () => {
    const { child, info, exit } = await startJson([]);
    const admin = info.adminUrl!;
    const installed = await curl(
      "-X",
      "PUT",
      "--data",
      '[{ "fail": { "code": "UNAVAILABLE", "details": "maintenance" }, "after": { "records": 1 } }]',
      `${admin}/tables/${TABLE}/script`,
    );
    expect(JSON.parse(installed)).toEqual({ table: TABLE, steps: 1, scope: "table" });
    const { headers, token } = JSON.parse(
      await curl("-X", "POST", "--data", JSON.stringify({ table: TABLE }), `${admin}/tokens`),
    ) as { headers: Record<string, string>; token: string };

    const stream = new TestStream(info.address, headers);
    streams.push(stream);
    stream.create(TABLE);
    expect((await stream.next()).payload.case).toBe("createStreamResponse");
    stream.json(0n, '{"device":"d1"}');
    stream.json(1n, '{"device":"d2"}');
    expect(await stream.status).toMatchObject({ code: GrpcStatusCode.UNAVAILABLE, details: "maintenance" });

    const records = JSON.parse(await curl(`${admin}/tables/${TABLE}/records?wait=1&timeoutMs=5000`));
    expect(records).toEqual({
      table: TABLE,
      recordCount: 1,
      records: [{ kind: "json", json: '{"device":"d1"}', value: { device: "d1" } }],
    });
    const summary = JSON.parse(await curl(`${admin}/tables/${TABLE}`));
    expect(summary.connections[0]).toMatchObject({
      end: { by: "server", code: GrpcStatusCode.UNAVAILABLE, details: "maintenance" },
      acks: ["0"],
    });
    // A 4xx makes curl fail with the JSON error as its output.
    await expect(
      curl("-X", "PUT", "--data", '[{ "fail": "SOMETIMES" }]', `${admin}/tables/${TABLE}/script`),
    ).rejects.toMatchObject({
      code: 22,
      stdout: expect.stringContaining('steps[0].fail: \\"SOMETIMES\\" is not a gRPC status name'),
    });

    child.kill("SIGTERM");
    const { code, stderr } = await exit;
    expect(code).toBe(0);
    expect(stderr).not.toContain(token);
  });
});
