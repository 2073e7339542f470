import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { MockServerInfo } from "../admin/mock-server-info.js";
import { GrpcStatusCode } from "../status.js";
import { cliPath, ensureCliBuilt } from "../test-support/built-cli.js";
import { TestStream } from "../test-support/test-stream.js";

// The README's curl session under "### Admin endpoint" is run line by line against a real `zerobus-mock
// --json`, with ADMIN set to the adminUrl it printed: a `curl` line is a command (it must exit 0), a
// `# {…}` line the output of the command before it (`…` stands for any text), and the `# … the code under
// test …` line is where this test writes records with the headers `POST /tokens` answered.
const README = new URL("../../README.md", import.meta.url);
const MARKER = "### Admin endpoint";
const run = promisify(execFile);
let cli: ChildProcess | undefined;

beforeAll(ensureCliBuilt, 150_000);
afterAll(() => {
  if (cli?.exitCode === null) cli.kill("SIGKILL");
});

async function sessionLines(): Promise<string[]> {
  const text = await readFile(README, "utf8");
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error(`README.md has no ${JSON.stringify(MARKER)}`);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
  if (block === undefined) throw new Error(`no sh block after ${MARKER}`);
  return block.trimEnd().split("\n");
}

function startCli(): Promise<MockServerInfo> {
  cli = spawn(process.execPath, [cliPath, "--json"], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  cli.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    cli!.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) resolve(JSON.parse(stdout) as MockServerInfo);
    });
    cli!.on("exit", (code) => reject(new Error(`zerobus-mock exited with ${code}: ${stderr}${stdout}`)));
  });
}

/** An output comment as a pattern: the text as written, `…` matching anything. */
function outputPattern(comment: string): RegExp {
  const parts = comment.split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`);
}

/** The code under test of the session: writes two clicks; the script ends the stream after the first. */
async function writeClicks(address: string, headers: Record<string, string>): Promise<void> {
  const stream = new TestStream(address, headers);
  try {
    stream.create("main.web.clicks");
    expect((await stream.next()).payload.case).toBe("createStreamResponse");
    stream.json(0n, '{"page":"/"}');
    stream.json(1n, '{"page":"/about"}');
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
  } finally {
    stream.close();
  }
}

it("runs the README's curl session against zerobus-mock --json, with the outputs it shows", async () => {
  const lines = await sessionLines();
  const info = await startCli();
  const env = { ...process.env, ADMIN: info.adminUrl! };
  let output: string | undefined;
  let headers: Record<string, string> | undefined;
  const checked = { commands: 0, outputs: 0, writes: 0 };
  for (const line of lines) {
    if (line.startsWith("curl ")) {
      output = (await run("sh", ["-c", line], { env, timeout: 20_000 })).stdout;
      headers = (JSON.parse(output) as { headers?: Record<string, string> }).headers ?? headers;
      checked.commands++;
    } else if (line.startsWith("# … the code under test")) {
      expect(headers, "a POST /tokens before the code under test").toBeDefined();
      await writeClicks(info.address, headers!);
      output = undefined;
      checked.writes++;
    } else if (line.startsWith("# ")) {
      expect(output, `${line} follows a curl line`).toBeDefined();
      expect(output).toMatch(outputPattern(line.slice(2)));
      checked.outputs++;
    } else {
      throw new Error(`the session has a line this test cannot run: ${line}`);
    }
  }
  expect(checked).toEqual({ commands: 6, outputs: 6, writes: 1 });
  cli!.kill("SIGTERM");
});

it("names the package and the bin it ships in the npx line", async () => {
  const readme = await readFile(README, "utf8");
  const manifest = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
  expect(Object.keys(manifest.bin)).toEqual(["zerobus-mock"]);
  expect(readme).toContain(`npx -p ${manifest.name} zerobus-mock --json\n`);
});
