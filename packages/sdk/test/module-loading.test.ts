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

describe("module loading", () => {
  it("loads neither grpc-js nor the protobuf runtime while importing and constructing", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "zb-loads-")), "loads.txt");
    await run(
      process.execPath,
      ["--import", fixture("load-recorder.mjs"), fixture("import-then-stream.mjs")],
      {
        cwd: packageDir,
        env: { ...process.env, ZB_LOAD_LOG: log, ZEROBUS_BACKEND: "js" },
      },
    );
    const [beforeStream = "", afterStream = ""] = readFileSync(log, "utf8").split("--- constructed\n");
    expect(beforeStream).toContain("/sdk/dist/index.js");
    expect(beforeStream).not.toMatch(/grpc-js|@bufbuild\/protobuf|backend-js/);
    expect(afterStream).toMatch(/@grpc\/grpc-js|grpc-js/);
    expect(afterStream).toMatch(/@bufbuild\/protobuf/);
  });

  it("starts loading the js backend when a js SDK is constructed, before any stream (the first createStream does not wait for it)", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "zb-loads-")), "loads.txt");
    await run(
      process.execPath,
      ["--import", fixture("load-recorder.mjs"), fixture("construct-then-wait.mjs")],
      {
        cwd: packageDir,
        env: { ...process.env, ZB_LOAD_LOG: log },
      },
    );
    const [imported = "", constructed = ""] = readFileSync(log, "utf8").split("--- imported\n");
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
