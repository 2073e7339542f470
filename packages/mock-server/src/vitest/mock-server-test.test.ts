import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openJsonStream } from "../test-support/test-stream.js";
import { mockServerTest } from "./index.js";

const root = join(import.meta.dirname, "../../../..");

describe("mockServerTest", () => {
  it("serves a file from one server and closes it after the file (a child vitest runs a file)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zerobus-fixture-"));
    const reportFile = join(dir, "report.jsonl");
    // The child is a vitest of its own: nothing of this run's worker state may leak into it.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(VITEST|NODE_OPTIONS$|TEST$)/.test(key)),
    );
    try {
      await promisify(execFile)(
        process.execPath,
        [
          join(root, "packages/mock-server/node_modules/vitest/vitest.mjs"),
          "run",
          "--project",
          "mock-server",
          "src/vitest/mock-server-test-lifecycle.test.ts",
        ],
        { cwd: root, env: { ...env, ZEROBUS_FIXTURE_REPORT: reportFile }, timeout: 60_000 },
      );
      const lines = readFileSync(reportFile, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown);
      expect(lines).toEqual([
        { test: "first", port: expect.any(Number) },
        { test: "next", port: (lines[0] as { port: number }).port },
        { after: "file", grpc: false, token: false },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// At the top level: vitest refuses a file-scoped fixture defined inside a describe block.
const custom = mockServerTest({ oauth: { clientId: "fixture-client" } }, { resetBeforeEach: false });
const TABLE = "main.fixture.kept";

describe("mockServerTest options", () => {
  custom("passes the server options to createMockServer", async ({ mockServer }) => {
    expect(mockServer.credentials.clientId).toBe("fixture-client");
    const stream = await openJsonStream(mockServer, TABLE);
    stream.json(0n, '{"n":1}');
    await stream.acks(1);
    stream.cancel();
    stream.close();
  });

  custom("keeps the recordings across tests with resetBeforeEach false", ({ mockServer }) => {
    expect(mockServer.table(TABLE)).toHaveDelivered([{ n: 1 }]);
  });

  custom("gives a file-scoped fixture of the user the same server", ({ mockServer, mockServerOfFile }) => {
    expect(mockServerOfFile).toBe(mockServer);
  });
});
