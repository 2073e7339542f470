import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZerobusSdk } from "../src/index.js";
import { codeBlocks } from "./readme-sections.js";

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, "..");
const readmePath = join(packageDir, "../../README.md");
// The published README: its blocks equal the root's (readme-sync.test.ts), and run here too, once each.
const sdkReadmePath = join(packageDir, "README.md");
// Inside the package, so `@zerobus/sdk` resolves to this package (self-reference) as it does for users.
const workDir = join(packageDir, ".readme-run");
const table = "main.readme.events";

function toModule(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/** Whether the native addon loads on this machine. */
function nativeBuilt(): boolean {
  try {
    new ZerobusSdk("http://127.0.0.1:1", undefined, { backend: "native", allowInsecure: true });
    return true;
  } catch {
    return false;
  }
}

let server: MockServer;
const env: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(join(packageDir, "dist/index.js"))) {
    await run("pnpm", ["turbo", "run", "build", "--filter=@zerobus/sdk..."], { cwd: packageDir });
  }
  // A TLS server, so the README's code runs unchanged (no allowInsecure): Node trusts its CA.
  server = await createMockServer({ tls: true });
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, "gen"), { recursive: true });
  writeFileSync(join(workDir, "ca.pem"), server.ca ?? "");
  copyFileSync(
    join(import.meta.dirname, "fixtures/sensor-reading-schema.mjs"),
    join(workDir, "gen/sensor_reading_pb.js"),
  );
  Object.assign(env, {
    ZEROBUS_SERVER_ENDPOINT: server.endpoint,
    DATABRICKS_HOST: server.workspaceUrl,
    DATABRICKS_CLIENT_ID: server.credentials.clientId,
    DATABRICKS_CLIENT_SECRET: server.credentials.clientSecret,
    ZEROBUS_TABLE_NAME: table,
    NODE_EXTRA_CA_CERTS: join(workDir, "ca.pem"),
    ZEROBUS_BACKEND: "js",
  });
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe("README code blocks", () => {
  const rootBlocks = codeBlocks(readFileSync(readmePath, "utf8"));
  const sdkBlocks = codeBlocks(readFileSync(sdkReadmePath, "utf8"));
  // Both READMEs' blocks, each distinct one once: the sdk README's are the root's today, so this runs the
  // root's; one the sdk README ever had alone would run as well.
  // A block that imports vitest is a test file, not a script: it runs in this suite as
  // readme-testing/vitest-example.test.ts, which must be the block verbatim (checked below). The Prometheus
  // example serves its metrics until stopped: telemetry/readme-observability-example.test.ts runs it and
  // scrapes it, and it must be the block verbatim too.
  const isVitestFile = (block: string) => /^import .* from "vitest";$/m.test(block);
  const prometheusExample = readFileSync(
    join(import.meta.dirname, "telemetry/readme-observability-example.ts"),
    "utf8",
  );
  const blocks = [...new Set([...rootBlocks, ...sdkBlocks])].filter(
    (block) => !isVitestFile(block) && block !== prometheusExample,
  );

  it("has the examples the READMEs promise", () => {
    expect(rootBlocks.length).toBeGreaterThanOrEqual(4);
    expect(sdkBlocks.length).toBeGreaterThanOrEqual(4);
  });

  it("shows readme-testing/vitest-example.test.ts, which runs in this suite, verbatim", () => {
    const example = readFileSync(join(import.meta.dirname, "readme-testing/vitest-example.test.ts"), "utf8");
    expect(rootBlocks.filter(isVitestFile)).toEqual([example]);
    expect(sdkBlocks.filter(isVitestFile)).toEqual([example]);
  });

  it("shows telemetry/readme-observability-example.ts, which a test runs and scrapes, verbatim", () => {
    expect(rootBlocks.filter((block) => block === prometheusExample)).toHaveLength(1);
  });

  it("says which TypeScript target `await using` needs on Node 20 and 22 (ESNext emits it as is)", () => {
    const readme = readFileSync(readmePath, "utf8");
    expect(readme).toContain("await using");
    expect(readme).toContain("TypeScript target ≤ ES2022 on Node 20/22");
    // The blocks above are compiled to that target, as a user's must be.
    expect(toModule("await using x = null;\n")).not.toContain("await using");
  });

  blocks.forEach((block, index) => {
    const firstLine = block.split("\n").find((line) => line.trim() && !line.startsWith("import")) ?? "";
    it(`block ${index + 1} runs: ${firstLine.slice(0, 60)}`, async () => {
      const file = join(workDir, `block-${index + 1}.mjs`);
      writeFileSync(file, toModule(block));
      const before = server.table(table).recordCount;
      await run(process.execPath, [file], { cwd: workDir, env: { ...process.env, ...env }, timeout: 30_000 });
      if (block.includes("ZEROBUS_TABLE_NAME"))
        expect(server.table(table).recordCount).toBeGreaterThan(before);
    });
    // "Testing your code" starts its own plaintext server, so it needs no CA setup to run on the native
    // backend too: its recovery assertions must hold whichever backend `auto` picks for a user.
    if (block.includes("createMockServer(") && nativeBuilt()) {
      it(`block ${index + 1} runs on the native backend: ${firstLine.slice(0, 60)}`, async () => {
        const file = join(workDir, `block-${index + 1}-native.mjs`);
        writeFileSync(file, toModule(block));
        await run(process.execPath, [file], {
          cwd: workDir,
          env: { ...process.env, ...env, ZEROBUS_BACKEND: "native" },
          timeout: 30_000,
        });
      });
    }
  });
});
