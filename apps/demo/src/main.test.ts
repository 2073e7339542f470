import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMockServer } from "@zerobus/mock-server";
import { beforeAll, describe, expect, it } from "vitest";
// Relative: the vitest aliases map @zerobus/<name> to packages/, and the examples are an app.
import { WORKSPACE_ENV } from "../../examples/src/ingest-target/workspace-env.js";
import { RESULT_PREFIX } from "./summary.js";

const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "main.js");

interface Run {
  child: ChildProcess;
  /** Resolves once the process exited, with its status and output. */
  done: Promise<{ status: number | null; stdout: string; stderr: string }>;
  /** Resolves once stdout or stderr contains `text`. */
  waitFor(text: string): Promise<void>;
}

/** Starts the built demo as `pnpm demo` does; without `workspace`, nothing in the environment names one. */
function startDemo(args: string[], workspace: Record<string, string> = {}): Run {
  const env = { ...process.env };
  for (const name of WORKSPACE_ENV) delete env[name];
  Object.assign(env, workspace);
  const child = spawn(process.execPath, [entry, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  const seen = (text: string) => stdout.includes(text) || stderr.includes(text);
  const wake = () => {
    for (const waiter of waiters.filter((w) => seen(w.text))) waiter.resolve();
  };
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    wake();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    wake();
  });
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("close", (status) => resolve({ status, stdout, stderr })),
  );
  return {
    child,
    done,
    waitFor: (text) =>
      seen(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve })),
  };
}

function demoResult(stdout: string): Record<string, unknown> {
  const lines = stdout.trimEnd().split("\n");
  const last = lines.at(-1) ?? "";
  expect(last.startsWith(RESULT_PREFIX), `last line is the result:\n${stdout}`).toBe(true);
  return JSON.parse(last.slice(RESULT_PREFIX.length));
}

beforeAll(() => {
  if (!existsSync(entry))
    throw new Error("the demo is not built: run pnpm turbo run build --filter=@zerobus/demo...");
});

describe("pnpm demo", () => {
  it.each([
    ["batches", ["--records", "20000", "--batch", "500", "--backend", "js"]],
    ["single records", ["--records", "3000", "--batch", "1", "--backend", "js"]],
  ])("sends every reading in %s and the server's count agrees", async (_, args) => {
    const { status, stdout, stderr } = await startDemo(args).done;
    expect(status, stderr).toBe(0);
    const records = Number(args[1]);
    expect(demoResult(stdout)).toMatchObject({
      backend: "js",
      target: "mock",
      requested: records,
      accepted: records,
      acknowledged: records,
      serverCount: records,
      interrupted: false,
      ok: true,
    });
    expect(stdout).toMatch(/ack latency\s+p50 \d+\.\d ms, p99 \d+\.\d ms/);
  });

  it("with --otel prints the run's OpenTelemetry metrics before the result line; without it, none", async () => {
    const { status, stdout, stderr } = await startDemo(["--records", "2000", "--backend", "js", "--otel"])
      .done;
    expect(status, stderr).toBe(0);
    expect(demoResult(stdout)).toMatchObject({ accepted: 2000, acknowledged: 2000, ok: true });
    expect(stdout).toContain("OpenTelemetry metrics of this run (ConsoleMetricExporter):");
    // One console.dir block per metric; the counters hold this run's records.
    const blocks = stdout.split(/\n(?=\{\n {2}descriptor: \{)/);
    for (const name of ["zerobus.records.accepted", "zerobus.records.acknowledged"]) {
      const block = blocks.find((b) => b.includes(`name: '${name}'`));
      expect(block, name).toMatch(/value: 2000\b/);
    }
    expect(blocks.some((b) => b.includes("name: 'zerobus.ack.duration'"))).toBe(true);

    const plain = await startDemo(["--records", "200", "--backend", "js"]).done;
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain("zerobus.");
  });

  it("on Ctrl-C closes the stream and reports what was acknowledged", async () => {
    const run = startDemo(["--records", "100_000_000", "--batch", "100", "--backend", "js"]);
    // The first progress line comes a second into ingestion.
    await run.waitFor("progress: ");
    run.child.kill("SIGINT");
    const { status, stdout, stderr } = await run.done;
    expect(stderr).toContain("interrupted: closing the stream");
    expect(status, stderr).toBe(130);
    const result = demoResult(stdout);
    expect(result).toMatchObject({ interrupted: true, ok: true });
    expect(result.accepted).toBeGreaterThan(0);
    expect(result.accepted).toBeLessThan(100_000_000);
    expect(result.acknowledged).toBe(result.accepted);
    expect(result.serverCount).toBe(result.accepted);
  });

  it("writes to the workspace the environment names, with OAuth", async () => {
    const server = await createMockServer();
    try {
      const tableName = "main.from_env.demo";
      const { status, stdout, stderr } = await startDemo(["--records", "5000", "--backend", "js"], {
        ZEROBUS_SERVER_ENDPOINT: server.endpoint,
        DATABRICKS_HOST: server.workspaceUrl,
        DATABRICKS_CLIENT_ID: server.credentials.clientId,
        DATABRICKS_CLIENT_SECRET: server.credentials.clientSecret,
        ZEROBUS_TABLE_NAME: tableName,
      }).done;
      expect(status, stderr).toBe(0);
      expect(demoResult(stdout)).toMatchObject({
        target: "workspace",
        tableName,
        accepted: 5000,
        acknowledged: 5000,
        serverCount: null,
        ok: true,
      });
      expect(server.table(tableName).recordCount).toBe(5000);
      expect(server.table(tableName).values[0]).toMatchObject({ device_id: "env-0000", status: "ok" });
      expect(stdout + stderr).not.toContain(server.credentials.clientSecret);
    } finally {
      await server.close();
    }
  });

  it("refuses a bad argument with the usage, exit status 2", async () => {
    const { status, stdout, stderr } = await startDemo(["--records", "-5"]).done;
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: pnpm demo");
  });
});
