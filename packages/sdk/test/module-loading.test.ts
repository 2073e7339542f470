import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, "..");
const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);

// These tests load the published shape (dist/), as users do; `pnpm test` builds first.
beforeAll(async () => {
  if (!existsSync(join(packageDir, "dist/index.js"))) {
    await run("pnpm", ["turbo", "run", "build", "--filter=@zerobus/sdk..."], { cwd: packageDir });
  }
}, 180_000);

/** Runs a fixture under the load recorder; returns what it logged (module URLs and markers). */
async function recordLoads(fixtureName: string, env: Record<string, string> = {}): Promise<string> {
  const log = join(mkdtempSync(join(tmpdir(), "zb-loads-")), "loads.txt");
  await run(process.execPath, ["--import", fixture("load-recorder.mjs"), fixture(fixtureName)], {
    cwd: packageDir,
    env: { ...process.env, ZB_LOAD_LOG: log, ...env },
  });
  return readFileSync(log, "utf8");
}

describe("module loading", () => {
  it("loads neither grpc-js nor the protobuf runtime while importing and constructing", async () => {
    const loads = await recordLoads("import-then-stream.mjs", { ZEROBUS_BACKEND: "js" });
    const [imported = "", rest = ""] = loads.split("--- imported\n");
    expect(imported).toContain("/sdk/dist/index.js");
    expect(imported).not.toMatch(/grpc-js|@bufbuild\/protobuf|backend-js/);
    // The constructor starts importing the js backend (the next test): the hooks may log that resolution
    // before the marker, but nothing of grpc-js has run when the constructor returns.
    const [constructing = "", afterStream = ""] = rest.split("--- constructed (grpc-js loaded: false)\n");
    expect(afterStream).not.toBe("");
    expect(constructing).not.toMatch(/grpc-js|@bufbuild\/protobuf/);
    expect(afterStream).toMatch(/@grpc\/grpc-js|grpc-js/);
    expect(afterStream).toMatch(/@bufbuild\/protobuf/);
  });

  it("imports its own code and core's as a few bundled modules, not one per source file", async () => {
    const loads = await recordLoads("import-then-stream.mjs", { ZEROBUS_BACKEND: "js" });
    const [imported = ""] = loads.split("--- imported\n");
    const ours = new Set(imported.split("\n").filter((url) => /\/packages\/(sdk|core)\/dist\//.test(url)));
    // Node's ES module loader costs about 0.6 ms per module in a fresh process: the 45 files these two
    // packages were took 35 ms to import (W6 of issue 15); bundled, they are 4.
    expect(ours.size).toBeGreaterThan(0);
    expect(ours.size).toBeLessThanOrEqual(6);
    expect(imported).not.toMatch(/^node:(stream|util)$/m);
  });

  it("starts loading the js backend when a js SDK is constructed, before any stream (the first createStream does not wait for it)", async () => {
    const loads = await recordLoads("construct-then-wait.mjs");
    const [imported = "", constructed = ""] = loads.split("--- imported\n");
    expect(imported).not.toMatch(/grpc-js|backend-js/);
    const [whileWaiting = ""] = constructed.split("--- waited\n");
    expect(whileWaiting).toMatch(/backend-js/);
    expect(whileWaiting).toMatch(/@grpc\/grpc-js|grpc-js/);
  });

  it("works from CommonJS with require() on Node >= 20.19", async () => {
    const { stdout } = await run(process.execPath, [fixture("require-sdk.cjs")], { cwd: packageDir });
    expect(JSON.parse(stdout)).toEqual({ backend: "js", error: "function", recordType: 2 });
  });
});
