import { request as httpRequest } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { type AdminEndpoint, startAdminEndpoint } from "./start-admin-endpoint.js";

const TABLE = "main.web.clicks";
let server: MockServer;
let admin: AdminEndpoint;

beforeEach(async () => {
  server = await createMockServer();
  admin = await startAdminEndpoint(server);
});
afterEach(async () => {
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

describe("admin endpoint errors", () => {
  it.each([
    ["PUT", `/tables/${TABLE}/script`, undefined, '{"fail": 14,', "the request body is not JSON"],
    [
      "PUT",
      `/tables/${TABLE}/script`,
      [{ fail: "UNAVAILABLE", after: { record: 1 } }],
      undefined,
      'script step 0 {"fail":14,"after":{"record":1}}: unknown trigger "record" (use records, requests, bytes, ms)',
    ],
    [
      "PUT",
      `/tables/${TABLE}/script`,
      [{ fail: "UNAVAILABLE" }, { fial: 14 }],
      undefined,
      'steps[1]: unknown key "fial"',
    ],
    [
      "PUT",
      `/tables/${TABLE}/script`,
      [{ fail: "SOMETIMES" }],
      undefined,
      'steps[0].fail: "SOMETIMES" is not a gRPC status name',
    ],
    [
      "PUT",
      `/tables/${TABLE}/script`,
      [{ fail: 17 }],
      undefined,
      "steps[0].fail: 17 is not a gRPC status code (0 to 16)",
    ],
    ["PUT", `/tables/${TABLE}/script`, { step: [] }, undefined, "send the script as a JSON array of steps"],
    ["PUT", `/tables/${TABLE}`, { colums: {} }, undefined, 'the body: unknown key "colums"'],
    [
      "PUT",
      `/tables/${TABLE}`,
      { descriptor: "not base64!" },
      undefined,
      "the body.descriptor must be a base64 string",
    ],
    [
      "PUT",
      `/tables/${TABLE}`,
      { columns: { page: "STRIN" } },
      undefined,
      'declared table main.web.clicks: column "page": unknown type "STRIN"',
    ],
    [
      "PUT",
      "/tables/events",
      { columns: { page: "STRING" } },
      undefined,
      'declared table "events": the name must be catalog.schema.table',
    ],
    [
      "POST",
      "/tokens",
      { table: TABLE, ttl: 5 },
      undefined,
      'unknown field "ttl"; the body takes table, ttlSeconds',
    ],
    ["POST", "/tokens/revoke", { token: "a", table: TABLE }, undefined, "give token or table, not both"],
    [
      "GET",
      `/tables/${TABLE}/records?wait=two`,
      undefined,
      undefined,
      'query parameter wait must be an integer ≥ 0, got "two"',
    ],
    ["GET", `/tables/${TABLE}/records?timeout=5`, undefined, undefined, 'unknown query parameter "timeout"'],
  ])("%s %s %j %s answers 400: %s", async (method, path, body, raw, message) => {
    const { status, json } = await call(method, path, body, raw);
    expect(status).toBe(400);
    expect(json.error).toContain(message);
  });

  it("answers 404 for an unknown route and 405 naming the methods a route takes", async () => {
    const missing = await call("GET", `/tables/${TABLE}/rows`);
    expect(missing).toMatchObject({
      status: 404,
      json: { error: `no route GET /tables/${TABLE}/rows; GET / lists the routes` },
    });
    const wrongMethod = await call("POST", `/tables/${TABLE}`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("PUT, GET");
    expect((await call("GET", `/tables/${TABLE}/script`)).status).toBe(404);
  });

  it("refuses to bind a non-loopback address unless told to", async () => {
    await expect(startAdminEndpoint(server, { host: "0.0.0.0" })).rejects.toThrow(
      'the admin endpoint has no authentication, so it binds only loopback addresses (127.0.0.1, ::1, localhost); got "0.0.0.0"',
    );
  });

  it.each([
    [
      { host: "attacker.example:80" },
      'the admin endpoint answers only loopback hosts, not Host "attacker.example"',
    ],
    [{ origin: "https://attacker.example" }, "the admin endpoint does not answer web pages of other origins"],
    [{ origin: "null" }, "the admin endpoint does not answer web pages of other origins"],
  ])("refuses a request from a web page (%j) with 403", async (headers, message) => {
    const { port } = new URL(admin.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        { host: "127.0.0.1", port, method: "POST", path: "/reset", headers },
        (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => {
            body += chunk.toString();
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on("error", reject);
      request.end();
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).error).toContain(message);
  });

  it("closes with a long-poll pending", async () => {
    const pending = fetch(`${admin.url}/tables/${TABLE}/records?wait=1&timeoutMs=60000`).catch(
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await admin.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
