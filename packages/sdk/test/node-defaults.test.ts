/**
 * Node defaults (issue 16), over real sockets against the mock server: the constructor and `createStream`
 * read the environment and `~/.databrickscfg` when arguments are omitted, and pino, bunyan and console
 * loggers receive the SDK's fields. Every variable is stubbed per test and restored after it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromEnv } from "@zerobus/auth-env";
import { fromOAuthClientCredentials } from "@zerobus/auth-oauth";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import bunyan from "bunyan";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { isZerobusError, type ZerobusError, ZerobusSdk, type ZerobusSdkOptions } from "../src/index.js";

const workspaceId = "1234567890123456";
const variables = [
  "ZEROBUS_SERVER_ENDPOINT",
  "DATABRICKS_HOST",
  "DATABRICKS_CLIENT_ID",
  "DATABRICKS_CLIENT_SECRET",
  "DATABRICKS_TOKEN",
  "DATABRICKS_CONFIG_PROFILE",
  "DATABRICKS_CONFIG_FILE",
];
const before = Object.fromEntries(variables.map((name) => [name, process.env[name]]));

let server: MockServer;
let sdk: ZerobusSdk | undefined;
let home: string;
let tableCounter = 0;
const nextTable = () => `main.defaults.t${++tableCounter}`;
const local: ZerobusSdkOptions = { backend: "js", allowInsecure: true, workspaceId };

beforeAll(async () => {
  server = await createMockServer();
});
beforeEach(async () => {
  // A clean slate: nothing set, and a HOME of our own so the user's real ~/.databrickscfg is never read.
  home = await mkdtemp(join(tmpdir(), "zerobus-sdk-defaults-"));
  for (const name of variables) vi.stubEnv(name, "");
  vi.stubEnv("HOME", home);
});
afterEach(async () => {
  await sdk?.close();
  sdk = undefined;
  server.reset();
  vi.unstubAllEnvs();
  await rm(home, { recursive: true, force: true });
});
afterAll(async () => {
  await server.close();
  expect(Object.fromEntries(variables.map((name) => [name, process.env[name]]))).toEqual(before);
});

function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
}

async function rejectionOf(promise: Promise<unknown> | (() => unknown)): Promise<ZerobusError> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (error) {
    expect(isZerobusError(error)).toBe(true);
    return error as ZerobusError;
  }
  throw new Error("expected a ZerobusError");
}

describe("new ZerobusSdk() and createStream(table) from the environment", () => {
  it("reads ZEROBUS_SERVER_ENDPOINT, DATABRICKS_HOST and the DATABRICKS_CLIENT_* pair", async () => {
    setEnv({
      ZEROBUS_SERVER_ENDPOINT: server.endpoint,
      DATABRICKS_HOST: server.workspaceUrl,
      DATABRICKS_CLIENT_ID: server.credentials.clientId,
      DATABRICKS_CLIENT_SECRET: server.credentials.clientSecret,
    });
    sdk = new ZerobusSdk(local);
    const stream = await sdk.createStream<{ device: string }>(nextTable());
    expect(await stream.ingestRecordAndWait({ device: "t-1" })).toBe(0n);
    await stream.close();
  });

  it("takes the workspace URL from DATABRICKS_HOST for explicit client credentials", async () => {
    setEnv({ ZEROBUS_SERVER_ENDPOINT: server.endpoint, DATABRICKS_HOST: server.workspaceUrl });
    sdk = new ZerobusSdk(undefined, undefined, local);
    const { clientId, clientSecret } = server.credentials;
    const stream = await sdk.createStream(nextTable(), clientId, clientSecret, { maxInflightRecords: 10 });
    expect(await stream.ingestRecordAndWait({ a: 1 })).toBe(0n);
  });

  it("reads the [DEFAULT] profile of ~/.databrickscfg when no variable is set", async () => {
    const { clientId, clientSecret } = server.credentials;
    await writeFile(
      join(home, ".databrickscfg"),
      `[DEFAULT]\nhost = ${server.workspaceUrl}\nclient_id = ${clientId}\nclient_secret = ${clientSecret}\n`,
    );
    sdk = new ZerobusSdk(server.endpoint, undefined, local);
    const stream = await sdk.createStream(nextTable(), { recoveryBackoffMs: 20 });
    expect(await stream.ingestRecordAndWait({ a: 1 })).toBe(0n);
  });

  it("uses DATABRICKS_TOKEN as is", async () => {
    const table = nextTable();
    setEnv({ DATABRICKS_TOKEN: server.issueToken(table).token });
    sdk = new ZerobusSdk(server.endpoint, undefined, local);
    const stream = await sdk.createStream(table);
    expect(await stream.ingestRecordAndWait('{"a":1}')).toBe(0n);
  });

  it("with nothing configured, rejects with auth_failed listing what it looked for", async () => {
    sdk = new ZerobusSdk(server.endpoint, undefined, local);
    const error = await rejectionOf(sdk.createStream(nextTable()));
    expect(error.code).toBe("auth_failed");
    expect(error.message).toMatch(/DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET/);
    expect(error.message).toContain("DATABRICKS_TOKEN");
    expect(error.message).toContain(join(home, ".databrickscfg"));
  });

  it("never puts a secret of the environment in its errors", async () => {
    const secret = "dose-very-secret-value-123";
    setEnv({ DATABRICKS_CLIENT_ID: "someone", DATABRICKS_CLIENT_SECRET: secret });
    sdk = new ZerobusSdk(server.endpoint, undefined, local);
    const error = await rejectionOf(sdk.createStream(nextTable()));
    expect(error.message).toContain("DATABRICKS_HOST");
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(secret);
  });

  it("without an endpoint, names ZEROBUS_SERVER_ENDPOINT", async () => {
    const error = await rejectionOf(() => new ZerobusSdk());
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toMatch(/no Zerobus endpoint: .*set ZEROBUS_SERVER_ENDPOINT/);
  });

  it("says a refused endpoint came from ZEROBUS_SERVER_ENDPOINT", async () => {
    setEnv({ ZEROBUS_SERVER_ENDPOINT: server.endpoint });
    const error = await rejectionOf(() => new ZerobusSdk({ backend: "js" }));
    expect(error.rawMessage).toMatch(/^ZEROBUS_SERVER_ENDPOINT: .*allowInsecure/);
  });

  it("without a workspace URL, explicit client credentials name DATABRICKS_HOST", async () => {
    sdk = new ZerobusSdk(server.endpoint, undefined, local);
    const error = await rejectionOf(sdk.createStream(nextTable(), "id", "secret"));
    expect(error.message).toMatch(/needs the workspace URL: .*DATABRICKS_HOST/);
    const half = await rejectionOf(sdk.createStream(nextTable(), "id", undefined as never));
    expect(half.message).toMatch(/needs clientSecret .*or neither/);
  });
});

describe("loggers", () => {
  /** Opens one stream with `logger` and ingests a record, so the SDK logs "stream opened" with fields. */
  async function openWith(logger: NonNullable<ZerobusSdkOptions["logger"]>): Promise<string> {
    const table = nextTable();
    sdk = new ZerobusSdk(server.endpoint, undefined, { ...local, logger });
    const stream = await sdk.createStreamWithHeadersProvider(table, () => server.headers(table));
    await stream.ingestRecordAndWait({ a: 1 });
    await stream.close();
    return table;
  }

  it("pino: fields arrive as fields of the JSON line", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const table = await openWith(logger.child({ app: "ingest" }));
    const opened = lines.find((line) => line.msg === "stream opened");
    expect(opened).toMatchObject({ level: 20, app: "ingest", table, backend: "js" });
    expect(opened?.streamId).toEqual(expect.any(String));
  });

  it("pino given to fromEnv and fromOAuthClientCredentials: fields arrive as fields too", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const table = nextTable();
    setEnv({
      DATABRICKS_HOST: server.workspaceUrl,
      DATABRICKS_CLIENT_ID: server.credentials.clientId,
      DATABRICKS_CLIENT_SECRET: server.credentials.clientSecret,
    });
    sdk = new ZerobusSdk(server.endpoint, undefined, local);
    const fromVariables = await sdk.createStreamWithHeadersProvider(table, fromEnv({ logger }));
    await fromVariables.ingestRecordAndWait({ a: 1 });
    expect(lines.find((line) => line.msg === "using OAuth client credentials")).toMatchObject({
      level: 20,
      clientId: "DATABRICKS_CLIENT_ID",
      host: "DATABRICKS_HOST",
    });

    lines.length = 0;
    const explicit = fromOAuthClientCredentials({
      workspaceUrl: server.workspaceUrl,
      ...server.credentials,
      workspaceId,
      logger: logger.child({ app: "ingest" }),
    });
    const direct = await sdk.createStreamWithHeadersProvider(table, explicit);
    await direct.ingestRecordAndWait({ a: 2 });
    expect(lines.find((line) => line.msg === "requesting an OAuth token")).toMatchObject({
      level: 20,
      app: "ingest",
      endpoint: `${server.workspaceUrl}/oidc/v1/token`,
    });
    expect(JSON.stringify(lines)).not.toContain(server.credentials.clientSecret);
  });

  it("bunyan: fields arrive as fields of the JSON line", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = bunyan.createLogger({
      name: "ingest",
      streams: [
        { level: "debug", stream: { write: (line: string) => lines.push(JSON.parse(line)) } as never },
      ],
    });
    const table = await openWith(logger);
    expect(lines.find((line) => line.msg === "stream opened")).toMatchObject({
      level: 20,
      table,
      backend: "js",
    });
  });

  it("console: (message, fields) as before", async () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => {});
    try {
      const table = await openWith(console);
      expect(debug).toHaveBeenCalledWith("stream opened", expect.objectContaining({ table, backend: "js" }));
    } finally {
      debug.mockRestore();
    }
  });

  it("refuses an object that is not a logger, saying what it lacks", async () => {
    const error = await rejectionOf(
      () => new ZerobusSdk(server.endpoint, undefined, { ...local, logger: { log() {} } as never }),
    );
    expect(error.message).toMatch(
      /logger must have debug, info, warn and error methods .*no debug, info, warn, error/,
    );
  });
});
