import { inspect } from "node:util";
import type { ZerobusError } from "@zerobus/core";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fromOAuthClientCredentials } from "../src/index.js";
import { headersContext, proxyVariables } from "./support/context.js";

const workspaceUrl = "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com";
const tokenUrl = `${workspaceUrl}/oidc/v1/token`;
const clientId = "6f1c2a0e-1111-2222-3333-444455556666";
const clientSecret = "dose0123456789abcdefSECRET";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => {
  for (const name of proxyVariables) vi.stubEnv(name, "");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

interface Seen {
  authorization: string | null;
  contentType: string | null;
  form: [string, string][];
}

/** Answers every token request with `token-<n>`, valid `expiresIn` seconds ("omit": no expires_in). */
function tokenEndpoint(expiresIn: unknown = 3600) {
  const seen: Seen[] = [];
  server.use(
    http.post(tokenUrl, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      seen.push({
        authorization: request.headers.get("authorization"),
        contentType: request.headers.get("content-type"),
        form: [...form.entries()],
      });
      const token = { access_token: `token-${seen.length}`, token_type: "Bearer" };
      return HttpResponse.json(expiresIn === "omit" ? token : { ...token, expires_in: expiresIn });
    }),
  );
  return seen;
}

function provider(overrides: Record<string, unknown> = {}) {
  return fromOAuthClientCredentials({ workspaceUrl, clientId, clientSecret, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<ZerobusError> {
  try {
    await promise;
  } catch (error) {
    return error as ZerobusError;
  }
  throw new Error("expected a rejection");
}

describe("fromOAuthClientCredentials over HTTP", () => {
  it("sends exactly the client-credentials request of PROTOCOL.md §3 and returns the headers", async () => {
    const seen = tokenEndpoint();
    const headers = await provider().getHeaders(headersContext());
    expect(headers).toEqual({
      authorization: "Bearer token-1",
      "x-databricks-zerobus-table-name": "main.default.events",
    });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.authorization).toBe(
      `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
    );
    expect(request?.contentType).toBe("application/x-www-form-urlencoded");
    expect(request?.form).toEqual([
      ["grant_type", "client_credentials"],
      ["scope", "all-apis"],
      ["resource", "api://databricks/workspaces/1234567890123456/zerobusDirectWriteApi"],
      [
        "authorization_details",
        '[{"object_full_path":"main","object_type":"CATALOG","privileges":["USE CATALOG"],"type":"unity_catalog_privileges"},' +
          '{"object_full_path":"main.default","object_type":"SCHEMA","privileges":["USE SCHEMA"],"type":"unity_catalog_privileges"},' +
          '{"object_full_path":"main.default.events","object_type":"TABLE","privileges":["SELECT","MODIFY"],"type":"unity_catalog_privileges"}]',
      ],
    ]);
  });

  it("takes resource from the workspaceId option over the context's", async () => {
    const seen = tokenEndpoint();
    await provider({ workspaceId: "777" }).getHeaders(headersContext({ workspaceId: "123" }));
    await provider().getHeaders(headersContext({ workspaceId: "123" }));
    expect(seen.map((s) => s.form.find(([k]) => k === "resource")?.[1])).toEqual([
      "api://databricks/workspaces/777/zerobusDirectWriteApi",
      "api://databricks/workspaces/123/zerobusDirectWriteApi",
    ]);
  });

  it.each([
    ["an AWS workspace URL with trailing slashes", "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com//"],
    ["an Azure workspace URL", "https://adb-1234567890123456.7.azuredatabricks.net/"],
    ["a URL without a scheme", "adb-1234567890123456.7.azuredatabricks.net"],
  ])("posts to <origin>/oidc/v1/token for %s", async (_, url) => {
    const origin = new URL(url.includes("://") ? url : `https://${url}`).origin;
    let hits = 0;
    server.use(
      http.post(`${origin}/oidc/v1/token`, () => {
        hits++;
        return HttpResponse.json({ access_token: "t", expires_in: 3600 });
      }),
    );
    await provider({ workspaceUrl: url }).getHeaders(headersContext());
    expect(hits).toBe(1);
  });

  it("caches per table and refreshes 5 minutes before expiry (injected clock)", async () => {
    const seen = tokenEndpoint(3600);
    const clock = { now: 1_700_000_000_000 };
    const oauth = provider({ now: () => clock.now });
    expect((await oauth.getHeaders(headersContext())).authorization).toBe("Bearer token-1");
    expect((await oauth.getHeaders(headersContext({ tableName: "main.default.other" }))).authorization).toBe(
      "Bearer token-2",
    );
    clock.now += 3_300_000 - 1;
    expect((await oauth.getHeaders(headersContext({ reason: "recovery" }))).authorization).toBe(
      "Bearer token-1",
    );
    clock.now += 1;
    expect((await oauth.getHeaders(headersContext())).authorization).toBe("Bearer token-3");
    expect(seen).toHaveLength(3);
    expect(seen[1]?.form.find(([k]) => k === "authorization_details")?.[1]).toContain('"main.default.other"');
  });

  it("accepts a quoted expires_in", async () => {
    const seen = tokenEndpoint("3600");
    const clock = { now: 0 };
    const oauth = provider({ now: () => clock.now });
    await oauth.getHeaders(headersContext());
    clock.now = 3_299_999;
    await oauth.getHeaders(headersContext());
    expect(seen).toHaveLength(1);
    clock.now = 3_300_000;
    await oauth.getHeaders(headersContext());
    expect(seen).toHaveLength(2);
  });

  it("does not cache a token without expires_in", async () => {
    const seen = tokenEndpoint("omit");
    const oauth = provider();
    await oauth.getHeaders(headersContext());
    await oauth.getHeaders(headersContext());
    expect(seen).toHaveLength(2);
  });

  it("fetches a new token for reason unauthenticated, even when cached", async () => {
    const seen = tokenEndpoint();
    const oauth = provider();
    await oauth.getHeaders(headersContext());
    expect((await oauth.getHeaders(headersContext({ reason: "unauthenticated" }))).authorization).toBe(
      "Bearer token-2",
    );
    expect((await oauth.getHeaders(headersContext())).authorization).toBe("Bearer token-2");
    expect(seen).toHaveLength(2);
  });

  it("makes one HTTP request for many concurrent callers", async () => {
    let requests = 0;
    server.use(
      http.post(tokenUrl, async () => {
        requests++;
        await delay(50);
        return HttpResponse.json({ access_token: "shared", expires_in: 3600 });
      }),
    );
    const oauth = provider();
    const all = await Promise.all(Array.from({ length: 20 }, () => oauth.getHeaders(headersContext())));
    expect(new Set(all.map((h) => h.authorization))).toEqual(new Set(["Bearer shared"]));
    expect(requests).toBe(1);
  });

  it.each([
    [401, { error: "invalid_client", error_description: "Client authentication failed" }],
    [403, { error: "access_denied", error_description: "no USE CATALOG on main" }],
    [400, { error: "invalid_request" }],
  ])("maps HTTP %i to auth_failed, not retryable, with the server's description", async (status, body) => {
    server.use(http.post(tokenUrl, () => HttpResponse.json(body, { status })));
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error).toMatchObject({ name: "ZerobusError", code: "auth_failed", retryable: false });
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain(Object.values(body).join(": "));
  });

  it("quotes a non-JSON 4xx body, shortened, with the client secret redacted", async () => {
    server.use(
      http.post(tokenUrl, () =>
        HttpResponse.text(`bad secret ${clientSecret}\n${"x".repeat(500)}`, { status: 401 }),
      ),
    );
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error.code).toBe("auth_failed");
    expect(error.message).toContain("bad secret *** xxx");
    expect(error.message).not.toContain(clientSecret);
    expect(error.message.length).toBeLessThan(400);
  });

  it("redacts the client secret before shortening the body, so no piece of it survives the cut", async () => {
    server.use(
      http.post(tokenUrl, () => HttpResponse.text(`${"x".repeat(190)} ${clientSecret}`, { status: 401 })),
    );
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error.message).toContain("x ***");
    expect(error.message).not.toContain(clientSecret.slice(0, 6));
  });

  it("redacts the Basic credentials and the URL-encoded secret the server echoes", async () => {
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
    server.use(
      http.post(tokenUrl, ({ request }) =>
        HttpResponse.json(
          {
            error: "invalid_client",
            error_description: `bad header ${request.headers.get("authorization")}, form secret ${encodeURIComponent(`${clientSecret}/+`)}`,
          },
          { status: 401 },
        ),
      ),
    );
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error.message).toContain("bad header Basic ***");
    expect(error.message).not.toContain(basic);
    expect(error.message).not.toContain(clientSecret);
  });

  it.each([
    [500, "unavailable"],
    [503, "unavailable"],
    [408, "unavailable"],
    [429, "resource_exhausted"],
  ])("maps HTTP %i to a retryable %s", async (status, code) => {
    server.use(
      http.post(tokenUrl, () => HttpResponse.json({ error: "temporarily_unavailable" }, { status })),
    );
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error).toMatchObject({ code, retryable: true });
    expect(error.message).toContain(`(HTTP ${status}): temporarily_unavailable`);
  });

  it("refuses an invalid proxy URL without its password anywhere in the error", async () => {
    vi.stubEnv("HTTPS_PROXY", "http://user:hunter2@proxy.example:99999");
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error).toMatchObject({ code: "invalid_argument" });
    expect(error.message).toContain("is not a valid proxy URL");
    expect(inspect(error, { depth: 10 })).not.toContain("hunter2");
  });

  it("maps a redirect to auth_failed without following it", async () => {
    server.use(
      http.post(
        tokenUrl,
        () => new HttpResponse(null, { status: 302, headers: { location: "https://elsewhere/" } }),
      ),
    );
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error).toMatchObject({ code: "auth_failed", retryable: false });
    expect(error.message).toContain("redirected (HTTP 302 to https://elsewhere/)");
  });

  it("maps a network error to a retryable unavailable and keeps the cause", async () => {
    server.use(http.post(tokenUrl, () => HttpResponse.error()));
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error).toMatchObject({ code: "unavailable", retryable: true });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each([
    [
      "a body that is not JSON",
      HttpResponse.text('{"access_token": "tok-abc", oops'),
      /not JSON \(\d+ characters\)/,
    ],
    ["JSON that is not an object", HttpResponse.json(["tok"]), /JSON that is not an object/],
    ["no access_token", HttpResponse.json({ token_type: "Bearer", expires_in: 3600 }), /no access_token/],
    [
      "a non-string access_token",
      HttpResponse.json({ access_token: 42 }),
      /access_token that is not a string/,
    ],
    [
      "an access_token with a space",
      HttpResponse.json({ access_token: "a b" }),
      /access_token that is not a string/,
    ],
    [
      "a negative expires_in",
      HttpResponse.json({ access_token: "t", expires_in: -5 }),
      /expires_in .* \(-5\)/,
    ],
    ["a non-numeric expires_in", HttpResponse.json({ access_token: "t", expires_in: "soon" }), /string of 4/],
    ["an object expires_in", HttpResponse.json({ access_token: "t", expires_in: {} }), /\(object\)/],
  ])("refuses a 2xx with %s as auth_failed", async (_, response, message) => {
    server.use(http.post(tokenUrl, () => response));
    const error = await failure(Promise.resolve(provider().getHeaders(headersContext())));
    expect(error).toMatchObject({ code: "auth_failed", retryable: false });
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain("tok-abc");
    expect(error.cause).toBeUndefined();
  });

  it("times out a slow token request as a retryable deadline_exceeded", async () => {
    server.use(
      http.post(tokenUrl, async () => {
        await delay("infinite");
        return HttpResponse.json({});
      }),
    );
    const started = performance.now();
    const error = await failure(Promise.resolve(provider({ timeoutMs: 200 }).getHeaders(headersContext())));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: "deadline_exceeded", retryable: true });
    expect(error.message).toContain("timed out after 200 ms");
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(5_000);
  });

  it("gives cancelled when the caller's signal aborts the request", async () => {
    server.use(
      http.post(tokenUrl, async () => {
        await delay("infinite");
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const pending = Promise.resolve(provider().getHeaders(headersContext({ signal: controller.signal })));
    setTimeout(() => controller.abort(), 20);
    const error = await failure(pending);
    expect(error).toMatchObject({ code: "cancelled", retryable: false });
  });

  it("refuses a bad table name or workspace id before any request", async () => {
    // No handler: msw's onUnhandledRequest "error" would fail a request.
    const oauth = provider();
    await expect(oauth.getHeaders(headersContext({ tableName: "main.events" }))).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("exactly 3 parts"),
    });
    await expect(oauth.getHeaders(headersContext({ workspaceId: "" }))).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("no usable workspace id"),
    });
  });

  it("recovers after a failure: the failure is not cached", async () => {
    let calls = 0;
    server.use(
      http.post(tokenUrl, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json({ error: "server_error" }, { status: 500 })
          : HttpResponse.json({ access_token: "second", expires_in: 3600 });
      }),
    );
    const oauth = provider();
    await expect(oauth.getHeaders(headersContext())).rejects.toMatchObject({ code: "unavailable" });
    expect((await oauth.getHeaders(headersContext())).authorization).toBe("Bearer second");
  });
});
