import { spawn } from "node:child_process";
import { join } from "node:path";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageDir = join(import.meta.dirname, "..");
let server: MockServer;
let tables = 0;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await server.close();
});

async function builtBackends(): Promise<("js" | "native")[]> {
  const native = await import("@zerobus/backend-native").catch(() => undefined);
  return native?.isNativeAvailable() ? ["js", "native"] : ["js"];
}

/** A child that opens a stream, ingests 100 records and then closes as `ending` says, nothing more. */
const child = `
  import { ZerobusSdk } from ${JSON.stringify(join(packageDir, "dist/index.js"))};
  const [endpoint, authorization, table, backend, ending] = process.argv.slice(1);
  const sdk = new ZerobusSdk(endpoint, undefined, { backend, allowInsecure: true, workspaceId: "1234" });
  const stream = await sdk.createStreamWithHeadersProvider(table, () => ({ authorization }));
  for (let n = 0; n < 100; n++) await stream.ingestRecord({ n });
  await stream.flush();
  if (ending === "stream then sdk") await stream.close();
  await sdk.close();
  console.log("closed " + stream.state);
`;

/** Runs the child and resolves with its output and whether it exited by itself within `boundMs`. */
function runChild(args: string[], boundMs: number): Promise<{ output: string; exited: boolean }> {
  const process_ = spawn(process.execPath, ["--input-type=module", "-e", child, ...args], {
    cwd: packageDir,
  });
  let output = "";
  process_.stdout.on("data", (chunk) => {
    output += chunk;
  });
  process_.stderr.on("data", (chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      process_.kill("SIGKILL");
      resolve({ output, exited: false });
    }, boundMs);
    process_.on("exit", () => {
      clearTimeout(timer);
      resolve({ output, exited: true });
    });
  });
}

describe("a process that used the SDK", async () => {
  for (const backend of await builtBackends()) {
    for (const ending of ["stream then sdk", "sdk with the stream open"]) {
      it(`exits by itself on ${backend} after closing the ${ending}`, async () => {
        const table = `main.process_exit.t${++tables}`;
        const { output, exited } = await runChild(
          [server.endpoint, server.headers(table).authorization ?? "", table, backend, ending],
          10_000,
        );
        expect(output).toContain("closed closed");
        expect(exited, `the child did not exit within 10 s: ${output}`).toBe(true);
        expect(server.table(table).recordCount).toBe(100);
      }, 30_000);
    }
  }
});
