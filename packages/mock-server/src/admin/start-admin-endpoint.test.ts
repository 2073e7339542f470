import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { GrpcStatusCode } from "../status.js";
import { encodeRow, rowDescriptorBytes } from "../test-support/descriptors.js";
import { openJsonStream, TestStream } from "../test-support/test-stream.js";
import { requestToken, tokenForm } from "../test-support/token-request.js";
import { type AdminEndpoint, startAdminEndpoint } from "./start-admin-endpoint.js";

const TABLE = "main.web.clicks";
let server: MockServer;
let admin: AdminEndpoint;
const streams: TestStream[] = [];

beforeEach(async () => {
  server = await createMockServer();
  admin = await startAdminEndpoint(server);
});
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await admin.close();
  await server.close();
});

/** Calls a route with a JSON body (or a raw text body) and returns the status, headers and parsed answer. */
async function call(method: string, path: string, body?: unknown, raw?: string) {
  const response = await fetch(`${admin.url}${path}`, {
    method,
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  return { status: response.status, headers: response.headers, json: (await response.json()) as any };
}

async function stream(table = TABLE): Promise<TestStream> {
  const opened = await openJsonStream(server, table);
  streams.push(opened);
  return opened;
}

describe("startAdminEndpoint", () => {
  it("answers GET / with what a client needs and every route", async () => {
    expect(admin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { status, json } = await call("GET", "/");
    expect(status).toBe(200);
    expect(json).toMatchObject({
      endpoint: server.endpoint,
      address: server.address,
      workspaceUrl: server.workspaceUrl,
      tokenUrl: server.tokenUrl,
      clientId: server.credentials.clientId,
      clientSecret: server.credentials.clientSecret,
      adminUrl: admin.url,
      pid: process.pid,
    });
    expect(json.routes).toContain(
      'PUT /tables/{name}/script: install a script: [steps] or { "steps": [...], "scope": "table" | "connection" }',
    );
    expect((await call("GET", "/info")).json).toEqual({ ...json, routes: undefined });
  });

  it("scripts a fault by status name, and the recording shows how the connection ended", async () => {
    const installed = await call("PUT", `/tables/${TABLE}/script`, [
      { fail: { code: "unavailable", details: "maintenance" }, after: { records: 1 } },
    ]);
    expect(installed).toMatchObject({ status: 200, json: { table: TABLE, steps: 1, scope: "table" } });
    const client = await stream();
    client.json(0n, '{"page":"/"}');
    expect(await client.status).toMatchObject({ code: GrpcStatusCode.UNAVAILABLE, details: "maintenance" });

    const { json: summary } = await call("GET", `/tables/${TABLE}`);
    expect(summary).toMatchObject({ name: TABLE, recordCount: 1, requestCount: 1, duplicates: 0 });
    expect(summary.connections).toHaveLength(1);
    expect(summary.connections[0]).toMatchObject({
      table: TABLE,
      recordType: "json",
      live: false,
      end: { by: "server", code: GrpcStatusCode.UNAVAILABLE, details: "maintenance" },
      recordCount: 1,
      maxOffset: "0",
      acks: ["0"],
      requests: [{ offset: "0", kind: "record", records: 1 }],
    });
    expect(summary.connections[0].metadata.authorization).toBe("Bearer <redacted>");
    expect(await call("GET", `/tables/${TABLE}/script`)).toMatchObject({
      status: 200,
      json: { position: 1, done: true },
    });
  });

  it("takes numeric codes, connection scope and a closeSignal duration as a decimal string", async () => {
    const { status, json } = await call("PUT", `/tables/${TABLE}/script`, {
      steps: [{ closeSignal: { seconds: "0", nanos: 1_000_000, thenEnd: 14 } }],
      scope: "connection",
    });
    expect({ status, json }).toMatchObject({ status: 200, json: { scope: "connection" } });
    for (let attempt = 0; attempt < 2; attempt++) {
      const client = await stream();
      const signal = await client.next();
      expect(signal.payload.case).toBe("closeStreamSignal");
      expect((await client.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    }
  });

  it("long-polls for records and returns JSON texts, proto bytes as base64 and values", async () => {
    const waiting = call("GET", `/tables/${TABLE}/records?wait=2&timeoutMs=5000`);
    const client = await stream();
    client.json(0n, '{"page":"/"}');
    client.json(1n, '{"page":"/about"}');
    const { status, json } = await waiting;
    expect(status).toBe(200);
    expect(json).toEqual({
      table: TABLE,
      recordCount: 2,
      records: [
        { kind: "json", json: '{"page":"/"}', value: { page: "/" } },
        { kind: "json", json: '{"page":"/about"}', value: { page: "/about" } },
      ],
    });

    const protoTable = "main.web.rows";
    const protoClient = new TestStream(server.address, server.headers(protoTable));
    streams.push(protoClient);
    protoClient.create(protoTable, rowDescriptorBytes());
    await protoClient.next();
    const row = encodeRow({ id: 9_007_199_254_740_993n, name: "x" });
    protoClient.proto(0n, row);
    const { json: rows } = await call("GET", `/tables/${protoTable}/records?wait=1`);
    expect(rows.records).toEqual([
      {
        kind: "proto",
        bytes: Buffer.from(row).toString("base64"),
        value: { id: "9007199254740993", name: "x" },
      },
    ]);
  });

  it("answers 408 naming what was missing when the long-poll times out", async () => {
    const { status, json } = await call("GET", `/tables/${TABLE}/records?wait=3&timeoutMs=50`);
    expect(status).toBe(408);
    expect(json.error).toContain(`table ${TABLE}: 3 records not met after 50 ms`);
  });

  it("withholds acks by policy and releases them on request", async () => {
    expect((await call("PUT", `/tables/${TABLE}/ack-policy`, "never")).status).toBe(200);
    const client = await stream();
    client.json(0n, "{}");
    client.json(1n, "{}");
    await server.table(TABLE).waitForRecords(2);
    expect(server.table(TABLE).connections[0]?.acks).toEqual([]);
    expect((await call("POST", `/tables/${TABLE}/release-acks`)).json).toEqual({ streams: 1 });
    expect(await client.acks(1)).toEqual([1n]);
    expect((await call("PUT", "/ack-policy", { delayMs: -1 })).json.error).toBe(
      'invalid ack policy {"delayMs":-1}',
    );
  });

  it("ends live streams with a status, and drops them", async () => {
    const ended = await stream();
    const other = await stream("main.web.other");
    const answer = await call("POST", `/tables/${TABLE}/end-connections`, {
      status: { code: "ABORTED", details: "bye" },
    });
    expect(answer.json).toEqual({ streams: 1 });
    expect(await ended.status).toMatchObject({ code: GrpcStatusCode.ABORTED, details: "bye" });
    expect((await call("POST", "/drop-connections")).json).toEqual({ streams: 1 });
    expect((await other.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    const { json } = await call("GET", "/connections");
    expect(json.connections.map((c: { end: unknown }) => c.end)).toEqual([
      { by: "server", code: GrpcStatusCode.ABORTED, details: "bye" },
      { by: "transport", how: "dropped" },
    ]);
  });

  it("issues a token that opens a stream, and revoking it ends the stream", async () => {
    const { json: issued } = await call("POST", "/tokens", { table: TABLE, ttlSeconds: 60 });
    expect(issued.headers).toEqual({
      authorization: `Bearer ${issued.token}`,
      "x-databricks-zerobus-table-name": TABLE,
    });
    const client = new TestStream(server.address, issued.headers);
    streams.push(client);
    client.create(TABLE);
    expect((await client.next()).payload.case).toBe("createStreamResponse");
    expect((await call("POST", "/tokens/revoke", { table: TABLE })).json).toEqual({ tokens: 1 });
    expect(await client.status).toMatchObject({ code: GrpcStatusCode.UNAUTHENTICATED });
    expect((await call("POST", "/tokens/expire", { token: "zmock_unknown" })).json).toEqual({ tokens: 0 });
  });

  it("lists token requests without their secret, scripts the token endpoint, and resets", async () => {
    expect((await call("PUT", "/oauth/script", [{ error: { status: 503 } }])).json).toEqual({ steps: 1 });
    expect((await requestToken(server.tokenUrl, tokenForm(TABLE))).status).toBe(503);
    const { json } = await call("GET", "/oauth/requests");
    expect(json.requests).toMatchObject([{ status: 503, scripted: true, table: TABLE }]);
    expect(JSON.stringify(json)).not.toContain(server.credentials.clientSecret);

    await stream();
    expect((await call("GET", "/tables")).json.tables).toEqual([
      { name: TABLE, recordCount: 0, connections: 1, live: 1 },
    ]);
    expect((await call("POST", "/reset")).json).toEqual({ reset: true });
    expect((await call("GET", "/tables")).json.tables).toEqual([]);
    expect((await call("GET", "/oauth/requests")).json.requests).toEqual([]);
  });

  it("declares tables from columns or a base64 descriptor", async () => {
    expect(await call("PUT", `/tables/${TABLE}`, { columns: { page: "STRING" } })).toMatchObject({
      status: 200,
      json: { table: TABLE, declared: "columns" },
    });
    const descriptor = Buffer.from(rowDescriptorBytes()).toString("base64");
    expect((await call("PUT", "/tables/main.web.rows", { descriptor })).json.declared).toBe("descriptor");
  });
});
