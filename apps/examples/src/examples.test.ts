import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createMockServer, type MockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKSPACE_ENV } from "./ingest-target/index.js";

const run = promisify(execFile);
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

/** Every example, the table it writes by default and how many records it sends. */
const examples = [
  { name: "json-single", table: "main.examples.sensor_readings", records: 10 },
  { name: "json-batch", table: "main.examples.sensor_readings", records: 500 },
  { name: "proto-single", table: "main.examples.sensor_readings_proto", records: 10 },
  { name: "async-ingestion", table: "main.examples.sensor_readings", records: 1602 },
  { name: "node-streams", table: "main.examples.sensor_readings", records: 2000 },
] as const;

/** This process's environment without a workspace, so an example falls back to its embedded server. */
function envWithoutWorkspace(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of WORKSPACE_ENV) delete env[name];
  return env;
}

/** Runs the built example as a user would (`node dist/<name>.js`). */
const runExample = (name: string, env: NodeJS.ProcessEnv) =>
  run(process.execPath, [join(dist, `${name}.js`)], { env, timeout: 60_000 });

beforeAll(() => {
  const missing = examples.filter((e) => !existsSync(join(dist, `${e.name}.js`)));
  if (missing.length > 0) {
    throw new Error(
      `examples not built (${missing.map((e) => e.name).join(", ")}): run pnpm turbo run build --filter=@zerobus/examples...`,
    );
  }
});

describe.each(examples)("example $name", ({ name, table, records }) => {
  it("runs against its embedded mock server, which receives every record", async () => {
    const { stdout } = await runExample(name, envWithoutWorkspace());
    expect(stdout).toContain(`mock server: ${table} received ${records} records\n`);
  });

  describe("pointed at a workspace by the environment", () => {
    let server: MockServer;
    beforeAll(async () => {
      server = await createMockServer();
    });
    afterAll(() => server.close());

    it("authenticates with the client credentials and writes to ZEROBUS_TABLE_NAME", async () => {
      const tableName = `main.from_env.${name.replaceAll("-", "_")}`;
      const { stdout } = await runExample(name, {
        ...envWithoutWorkspace(),
        ZEROBUS_SERVER_ENDPOINT: server.endpoint,
        DATABRICKS_HOST: server.workspaceUrl,
        DATABRICKS_CLIENT_ID: server.credentials.clientId,
        DATABRICKS_CLIENT_SECRET: server.credentials.clientSecret,
        ZEROBUS_TABLE_NAME: tableName,
      });
      expect(stdout).not.toContain("mock server:");
      const recording = server.table(tableName);
      expect(recording.recordCount).toBe(records);
      // One connection: nothing was re-sent, so the count is exactly what the example ingested.
      expect(recording.connections).toHaveLength(1);
      for (const value of recording.values) expect(value).toMatchObject({ device_id: expect.any(String) });
      expect(server.oauth.requests.map((r) => [r.clientId, r.table, r.status])).toEqual([
        [server.credentials.clientId, tableName, 200],
      ]);
    });
  });
});
