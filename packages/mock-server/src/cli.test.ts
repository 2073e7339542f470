import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GrpcStatusCode } from "./status.js";
import { cliPath, ensureCliBuilt } from "./test-support/built-cli.js";
import { TestStream } from "./test-support/test-stream.js";
import { requestToken, tokenForm } from "./test-support/token-request.js";

const TABLE = "main.default.cli";
const children: ChildProcess[] = [];

beforeAll(ensureCliBuilt, 150_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

interface Started {
  child: ChildProcess;
  output: string;
  exit: Promise<{ code: number | null; stderr: string }>;
}

/** Starts the CLI and resolves once it printed `lines` lines of stdout. */
function startCli(args: string[], lines: number): Promise<Started> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ["ignore", "pipe", "pipe"] });
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
      if (stdout.split("\n").length > lines) resolve({ child, output: stdout, exit });
    });
    void exit.then(({ code }) => reject(new Error(`zerobus-mock exited with ${code}: ${stderr}${stdout}`)));
  });
}

describe("zerobus-mock CLI", () => {
  it("prints where it listens, serves gRPC and OAuth with the ack delay asked for, and stops on SIGTERM", async () => {
    const { child, output, exit } = await startCli(["--json", "--ack-delay", "200", "--verbose"], 1);
    const info = JSON.parse(output) as {
      endpoint: string;
      workspaceUrl: string;
      tokenUrl: string;
      clientId: string;
    };
    expect(info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.tokenUrl).toBe(`${info.workspaceUrl}/oidc/v1/token`);

    const token = (await (await requestToken(info.tokenUrl, tokenForm(TABLE))).json()) as {
      access_token: string;
    };
    const stream = new TestStream(info.endpoint.replace("http://", ""), {
      authorization: `Bearer ${token.access_token}`,
      "x-databricks-zerobus-table-name": TABLE,
    });
    stream.create(TABLE);
    await stream.next();
    const sent = Date.now();
    stream.json(0n, "{}");
    expect(await stream.acks(1)).toEqual([0n]);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(190);

    child.kill("SIGTERM");
    const { code, stderr } = await exit;
    expect(code).toBe(0);
    expect(stderr).toMatch(
      new RegExp(`Z #1 ${TABLE} created json stream [0-9a-f-]{36} for 127\\.0\\.0\\.1:\\d+\n`),
    );
    expect(stderr).toContain(`Z #1 ${TABLE} ended by a transport drop after 1 record(s)\n`);
    expect(stderr).toMatch(/zerobus-mock stopped \(SIGTERM\)\n$/);
    expect(stderr).not.toContain(token.access_token);
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    stream.close();
  });

  it("with --tls prints the CA path, serves TLS to clients trusting it, and removes it on SIGINT", async () => {
    const { child, output, exit } = await startCli(["--tls", "--port", "0"], 7);
    expect(output).toMatch(
      /^zerobus-mock is running\nendpoint: https:\/\/localhost:\d+\nworkspace URL: http:\/\/127\.0\.0\.1:\d+\n/,
    );
    const endpoint = /endpoint: https:\/\/(\S+)/.exec(output)![1]!;
    const caPath = /CA: (\S+)/.exec(output)![1]!;
    const ca = readFileSync(caPath, "utf8");
    expect(ca).toContain("BEGIN CERTIFICATE");

    const stream = new TestStream(
      endpoint,
      { authorization: "Bearer forged", "x-databricks-zerobus-table-name": TABLE },
      { ca },
    );
    stream.create(TABLE);
    // The TLS handshake succeeded when the server's own check answers.
    expect(await stream.status).toMatchObject({
      code: GrpcStatusCode.UNAUTHENTICATED,
      details: "invalid access token",
    });
    stream.close();

    child.kill("SIGINT");
    expect((await exit).code).toBe(0);
    expect(existsSync(caPath)).toBe(false);
  });

  it("explains a bad option and exits with 2", async () => {
    const child = spawn(process.execPath, [cliPath, "--ack-policy", "sometimes"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--ack-policy must be immediate, coalesced, never, delay or every, got "sometimes"',
    );
    expect(stderr).toContain("Usage: zerobus-mock");
  });
});
