import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { GrpcStatusCode } from "../status.js";
import { TestStream } from "../test-support/test-stream.js";
import { authorizationDetails, requestToken, tokenForm } from "../test-support/token-request.js";
import { DEFAULT_CLIENT_SECRET } from "./token-endpoint.js";

const TABLE = "main.default.events";
let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
});
beforeEach(() => server.oauth.reset());
afterAll(() => server.close());

async function errorOf(response: Response) {
  return {
    status: response.status,
    ...((await response.json()) as { error: string; error_description: string }),
  };
}

describe("token endpoint over HTTP", () => {
  it("issues a bearer token for the table that the gRPC server accepts", async () => {
    const response = await requestToken(server.tokenUrl, tokenForm(TABLE));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600 });

    const stream = new TestStream(server.address, {
      authorization: `Bearer ${body.access_token}`,
      "x-databricks-zerobus-table-name": TABLE,
    });
    stream.create(TABLE);
    expect((await stream.next()).payload.case).toBe("createStreamResponse");
    stream.cancel();
    stream.close();

    expect(server.oauth.requests).toEqual([
      {
        receivedAt: expect.any(Number),
        clientId: "zerobus-mock-client",
        form: Object.fromEntries(tokenForm(TABLE)),
        workspaceId: "1234567890",
        table: TABLE,
        status: 200,
        error: undefined,
        scripted: false,
      },
    ]);
    expect(server.oauth.tokens.at(-1)).toMatchObject({ table: TABLE, workspaceId: "1234567890" });
  });

  it("never records the client secret or the token", async () => {
    await requestToken(server.tokenUrl, tokenForm(TABLE));
    await requestToken(server.tokenUrl, tokenForm(TABLE, { client_secret: "leaked-secret" }));
    const log = JSON.stringify(server.oauth.requests);
    expect(log).not.toContain(DEFAULT_CLIENT_SECRET);
    expect(log).not.toContain("leaked-secret");
    for (const { token } of server.oauth.tokens) expect(log).not.toContain(token);
  });

  it.each([
    ["a wrong secret", { clientSecret: "nope" }],
    ["an unknown client", { clientId: "someone-else" }],
    ["no Basic credentials", { headers: { authorization: "Bearer x" } }],
  ])("answers 401 invalid_client for %s", async (_, options) => {
    const problem = await errorOf(await requestToken(server.tokenUrl, tokenForm(TABLE), options));
    expect(problem).toMatchObject({ status: 401, error: "invalid_client" });
  });

  it("requires a form body", async () => {
    const problem = await errorOf(
      await requestToken(server.tokenUrl, tokenForm(TABLE), {
        headers: { "content-type": "application/json" },
      }),
    );
    expect(problem).toMatchObject({ status: 400, error: "invalid_request" });
    expect(problem.error_description).toContain("application/x-www-form-urlencoded");
  });

  it.each([
    ["grant_type", { grant_type: "password" }, "unsupported_grant_type"],
    ["scope", { scope: "sql" }, "invalid_scope"],
    ["resource", { resource: "api://databricks/workspaces/1/other" }, "invalid_target"],
    ["authorization_details (not JSON)", { authorization_details: "{" }, "invalid_authorization_details"],
    ["authorization_details (no table)", { authorization_details: "[]" }, "invalid_authorization_details"],
    ["a missing field", { scope: undefined }, "invalid_request"],
    ["an unexpected field", { audience: "x" }, "invalid_request"],
  ])("answers 400 for a wrong %s", async (_, overrides, error) => {
    const problem = await errorOf(await requestToken(server.tokenUrl, tokenForm(TABLE, overrides)));
    expect(problem).toMatchObject({ status: 400, error });
  });

  it("requires each privilege of the catalog, schema and table", async () => {
    const details = JSON.parse(authorizationDetails(TABLE)) as { privileges: string[] }[];
    details[2]!.privileges = ["SELECT"];
    const problem = await errorOf(
      await requestToken(
        server.tokenUrl,
        tokenForm(TABLE, { authorization_details: JSON.stringify(details) }),
      ),
    );
    expect(problem.error_description).toBe(`authorization_details TABLE "${TABLE}" lacks privileges MODIFY`);
    const noSchema = JSON.stringify(
      JSON.parse(authorizationDetails(TABLE)).filter((_: unknown, i: number) => i !== 1),
    );
    const missing = await errorOf(
      await requestToken(server.tokenUrl, tokenForm(TABLE, { authorization_details: noSchema })),
    );
    expect(missing.error_description).toBe('authorization_details has no SCHEMA entry for "main.default"');
  });

  it("answers 405 to other methods and 404 to other paths", async () => {
    expect((await fetch(server.tokenUrl)).status).toBe(405);
    expect((await fetch(`${server.workspaceUrl}/api/2.0/other`, { method: "POST" })).status).toBe(404);
  });

  it("requires one workspace id when configured", async () => {
    const strict = await createMockServer({
      oauth: { workspaceId: "42", clientId: "me", clientSecret: "s3cret" },
    });
    try {
      const credentials = { clientId: "me", clientSecret: "s3cret" };
      const wrong = await requestToken(strict.tokenUrl, tokenForm(TABLE), credentials);
      expect(await errorOf(wrong)).toMatchObject({ status: 400, error: "invalid_target" });
      const right = await requestToken(
        strict.tokenUrl,
        tokenForm(TABLE, { resource: "api://databricks/workspaces/42/zerobusDirectWriteApi" }),
        credentials,
      );
      expect(right.status).toBe(200);
      expect(strict.credentials).toEqual(credentials);
    } finally {
      await strict.close();
    }
  });
});

describe("token endpoint scripts", () => {
  it("error: any status with a JSON or text body, then back to normal", async () => {
    const script = server.oauth.script([
      { error: { status: 503 } },
      { error: { status: 429, body: "slow down" } },
    ]);
    const first = await requestToken(server.tokenUrl, tokenForm(TABLE));
    expect(await errorOf(first)).toMatchObject({ status: 503, error: "server_error" });
    const second = await requestToken(server.tokenUrl, tokenForm(TABLE));
    expect([second.status, await second.text()]).toEqual([429, "slow down"]);
    expect((await requestToken(server.tokenUrl, tokenForm(TABLE))).status).toBe(200);
    expect(script.done).toBe(true);
    expect(server.oauth.requests.map((r) => [r.status, r.scripted])).toEqual([
      [503, true],
      [429, true],
      [200, false],
    ]);
  });

  it("a request failing the checks leaves the script where it is", async () => {
    const script = server.oauth.script([{ error: { status: 500 } }]);
    expect((await requestToken(server.tokenUrl, tokenForm(TABLE), { clientSecret: "bad" })).status).toBe(401);
    expect(script.position).toBe(0);
  });

  it("delayMs holds the answer back", async () => {
    server.oauth.script([{ token: {}, delayMs: 200 }]);
    const started = Date.now();
    expect((await requestToken(server.tokenUrl, tokenForm(TABLE))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("omitAccessToken: a 200 without access_token", async () => {
    server.oauth.script([{ token: { omitAccessToken: true } }]);
    const response = await requestToken(server.tokenUrl, tokenForm(TABLE));
    expect(await response.json()).toEqual({ token_type: "Bearer", expires_in: 3600 });
  });

  it("malformedJson: a 200 whose body is not JSON", async () => {
    server.oauth.script([{ malformedJson: true }]);
    const response = await requestToken(server.tokenUrl, tokenForm(TABLE));
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it("expiresInSeconds: a short-lived token that ends its stream when it expires", async () => {
    server.oauth.script([{ token: { expiresInSeconds: 0.3 } }]);
    const body = (await (await requestToken(server.tokenUrl, tokenForm(TABLE))).json()) as {
      access_token: string;
      expires_in: number;
    };
    expect(body.expires_in).toBe(1);
    const stream = new TestStream(server.address, {
      authorization: `Bearer ${body.access_token}`,
      "x-databricks-zerobus-table-name": TABLE,
    });
    stream.create(TABLE);
    await stream.next();
    expect(await stream.status).toMatchObject({
      code: GrpcStatusCode.UNAUTHENTICATED,
      details: "access token expired",
    });
    stream.close();
  });
});
