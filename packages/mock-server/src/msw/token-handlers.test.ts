import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { TestStream } from "../test-support/test-stream.js";
import { requestToken, tokenForm } from "../test-support/token-request.js";
import { TokenEndpoint, tokenHandlers } from "./index.js";

const TABLE = "main.default.events";
const WORKSPACE = "https://example-workspace.cloud.databricks.com";
const msw = setupServer();
let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
  msw.listen({ onUnhandledRequest: "bypass" });
});
afterEach(() => msw.resetHandlers());
afterAll(async () => {
  msw.close();
  await server.close();
});

describe("tokenHandlers", () => {
  it("serves a standalone endpoint in-process at any workspace URL, with the same checks", async () => {
    const endpoint = new TokenEndpoint({ tokenTtlSeconds: 60 });
    msw.use(...tokenHandlers(endpoint, { workspaceUrl: `${WORKSPACE}/` }));
    const response = await requestToken(`${WORKSPACE}/oidc/v1/token`, tokenForm(TABLE));
    expect(await response.json()).toMatchObject({ token_type: "Bearer", expires_in: 60 });
    const refused = await requestToken(`${WORKSPACE}/oidc/v1/token`, tokenForm(TABLE), {
      clientSecret: "wrong",
    });
    expect(refused.status).toBe(401);
    expect(endpoint.requests.map((r) => r.status)).toEqual([200, 401]);
  });

  it("follows the endpoint's script", async () => {
    const endpoint = new TokenEndpoint();
    endpoint.script([{ error: { status: 500 } }]);
    msw.use(...tokenHandlers(endpoint, { workspaceUrl: WORKSPACE }));
    expect((await requestToken(`${WORKSPACE}/oidc/v1/token`, tokenForm(TABLE))).status).toBe(500);
  });

  it("issues tokens a mock server sharing the endpoint accepts", async () => {
    msw.use(...tokenHandlers(server, { workspaceUrl: WORKSPACE }));
    const { access_token } = (await (
      await requestToken(`${WORKSPACE}/oidc/v1/token`, tokenForm(TABLE))
    ).json()) as {
      access_token: string;
    };
    const stream = new TestStream(server.address, {
      authorization: `Bearer ${access_token}`,
      "x-databricks-zerobus-table-name": TABLE,
    });
    stream.create(TABLE);
    expect((await stream.next()).payload.case).toBe("createStreamResponse");
    stream.cancel();
    stream.close();
    expect(server.oauth.requests.at(-1)).toMatchObject({ table: TABLE, status: 200 });
  });

  it("intercepts the server's own token URL when given the server", async () => {
    server.oauth.reset();
    msw.use(...tokenHandlers(server));
    expect((await requestToken(server.tokenUrl, tokenForm(TABLE))).status).toBe(200);
    expect(server.oauth.requests).toHaveLength(1);
  });

  it("requires a workspace URL with a bare endpoint", () => {
    expect(() => tokenHandlers(new TokenEndpoint())).toThrow("options.workspaceUrl is required");
  });
});
