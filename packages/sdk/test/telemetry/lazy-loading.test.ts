// Telemetry is off by default and then costs no module: nothing of OpenTelemetry is loaded by a process
// that streams without the option; with it, `@opentelemetry/api` and the recorder's chunk load at the first
// stream, and without the package installed the first stream says what to install. Over the built
// packages (dist/), in child processes, as users run them.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZerobusSdk } from "../../src/index.js";

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, "../..");
const coreDist = join(packageDir, "../core/dist");
const fixture = (name: string) => join(import.meta.dirname, "../fixtures", name);

let server: MockServer;
beforeAll(async () => {
  if (!existsSync(join(packageDir, "dist/index.js"))) {
    await run("pnpm", ["turbo", "run", "build", "--filter=@zerobus/sdk..."], { cwd: packageDir });
  }
  server = await createMockServer();
}, 180_000);
afterAll(async () => {
  await server?.close();
});

function builtBackends(): ("js" | "native")[] {
  try {
    new ZerobusSdk("http://127.0.0.1:1", undefined, { backend: "native", allowInsecure: true });
    return ["js", "native"];
  } catch {
    return ["js"];
  }
}

let tables = 0;

/** Streams in a child process; returns its JSON line and every module URL it resolved. */
async function streamInChild(
  backend: string,
  env: Record<string, string>,
  imports: string[] = [],
): Promise<{ result: Record<string, unknown>; loads: string[] }> {
  const table = `main.lazy_otel.t${++tables}`;
  const log = join(mkdtempSync(join(tmpdir(), "zb-otel-loads-")), "loads.txt");
  const args = ["--import", fixture("load-recorder.mjs"), ...imports.flatMap((i) => ["--import", i])];
  const { stdout } = await run(process.execPath, [...args, fixture("telemetry-stream.mjs")], {
    cwd: packageDir,
    env: {
      ...process.env,
      ZB_LOAD_LOG: log,
      ZB_ENDPOINT: server.endpoint,
      ZB_TABLE: table,
      ZB_HEADERS: JSON.stringify(server.headers(table)),
      ZB_BACKEND: backend,
      ...env,
    },
  });
  return { result: JSON.parse(stdout.trim()), loads: readFileSync(log, "utf8").split("\n") };
}

describe("telemetry loading", () => {
  for (const backend of builtBackends()) {
    it(`loads nothing of OpenTelemetry without the option (${backend}), and the API and the recorder with it`, async () => {
      const off = await streamInChild(backend, {});
      expect(off.result).toEqual({ acked: 2 });
      expect(off.loads.length).toBeGreaterThan(10);
      expect(off.loads.filter((url) => /opentelemetry|otel-recorder/.test(url))).toEqual([]);

      const on = await streamInChild(backend, { ZB_TELEMETRY: "1" });
      expect(on.result).toEqual({ acked: 2 });
      expect(on.loads.some((url) => url.includes("/@opentelemetry/api/"))).toBe(true);
      expect(on.loads.some((url) => /\/core\/dist\/chunks\/otel-recorder-[^/]+\.js$/.test(url))).toBe(true);
    });
  }

  it("rejects the first stream with failed_precondition naming the package when @opentelemetry/api is missing", async () => {
    const { result } = await streamInChild("js", { ZB_TELEMETRY: "1" }, [fixture("without-otel-api.mjs")]);
    expect(result).toEqual({
      error: {
        code: "failed_precondition",
        message: "telemetry needs @opentelemetry/api: npm install @opentelemetry/api",
      },
    });
  });

  it("builds the recorder as a chunk of its own that core's internal entry imports only dynamically", () => {
    const entry = readFileSync(join(coreDist, "internal/index.js"), "utf8");
    const staticImports = [...entry.matchAll(/^(?:import|export)\s[^;]*?from\s*"([^"]+)"/gms)].map(
      (m) => m[1],
    );
    expect(staticImports.length).toBeGreaterThan(0);
    expect(staticImports.filter((from) => /opentelemetry|otel-recorder/.test(from ?? ""))).toEqual([]);
    const chunks = readdirSync(join(coreDist, "chunks")).filter((file) => file.startsWith("otel-recorder-"));
    expect(chunks).toHaveLength(1);
    expect(entry).toContain(`import("../chunks/${chunks[0]}")`);
    expect(entry).toContain('import("@opentelemetry/api")');
    // The recorder uses the API module loadTelemetry hands it: no import of its own.
    const chunk = readFileSync(join(coreDist, "chunks", chunks[0] ?? ""), "utf8");
    expect(chunk).not.toMatch(/from\s*"@opentelemetry/);
    expect(chunk).toContain("zerobus.records.accepted");
  });
});
