import { join } from "node:path";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fromConfigFile, fromEnv } from "../src/index.js";
import { headersContext, isolatedEnv, restoreEnv } from "./support.js";

const host = "https://dbc-env.cloud.databricks.com";
const server = setupServer();
let env: Awaited<ReturnType<typeof isolatedEnv>>;
let basicSeen: string[] = [];

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());
beforeEach(async () => {
  env = await isolatedEnv();
  basicSeen = [];
  server.use(
    http.post(`${host}/oidc/v1/token`, ({ request }) => {
      basicSeen.push(Buffer.from((request.headers.get("authorization") ?? "").slice(6), "base64").toString());
      return HttpResponse.json({ access_token: `oauth-token-${basicSeen.length}`, expires_in: 3600 });
    }),
  );
});
afterEach(async () => {
  server.resetHandlers();
  await restoreEnv(env?.dir);
});

const rejection = (promise: unknown) =>
  Promise.resolve(promise).then(
    () => undefined,
    (error: unknown) => error,
  );

describe("fromEnv", () => {
  it("reads nothing at construction and the variables at the first call", async () => {
    const provider = fromEnv();
    vi.stubEnv("DATABRICKS_TOKEN", "dapi-from-env");
    expect(await provider.getHeaders(headersContext())).toEqual({ authorization: "Bearer dapi-from-env" });
  });

  it("uses OAuth client credentials from DATABRICKS_HOST, _CLIENT_ID and _CLIENT_SECRET", async () => {
    vi.stubEnv("DATABRICKS_HOST", `${host}/`);
    vi.stubEnv("DATABRICKS_CLIENT_ID", "env-client");
    vi.stubEnv("DATABRICKS_CLIENT_SECRET", "env-secret");
    const headers = await fromEnv().getHeaders(headersContext());
    expect(headers).toEqual({
      authorization: "Bearer oauth-token-1",
      "x-databricks-zerobus-table-name": "main.default.events",
    });
    expect(basicSeen).toEqual(["env-client:env-secret"]);
  });

  it("falls back to the [DEFAULT] profile of ~/.databrickscfg", async () => {
    await env.write(
      ".databrickscfg",
      `[DEFAULT]\nhost = ${host}\nclient_id = file-client\nclient_secret = file-secret\n`,
    );
    await fromEnv().getHeaders(headersContext());
    expect(basicSeen).toEqual(["file-client:file-secret"]);
  });

  it("uses the file's [__settings__] default_profile when no profile is named", async () => {
    await env.write(
      ".databrickscfg",
      "[__settings__]\ndefault_profile = team\n[DEFAULT]\ntoken = wrong\n[team]\ntoken = right\n",
    );
    expect(await fromEnv().getHeaders(headersContext())).toEqual({ authorization: "Bearer right" });
  });

  it("reads DATABRICKS_CONFIG_FILE and DATABRICKS_CONFIG_PROFILE, variables winning over the profile", async () => {
    const file = await env.write(
      "custom.cfg",
      `[prod]\nhost = https://ignored.example.com\nclient_id = file-client\nclient_secret = file-secret\n`,
    );
    vi.stubEnv("DATABRICKS_CONFIG_FILE", file);
    vi.stubEnv("DATABRICKS_CONFIG_PROFILE", "prod");
    vi.stubEnv("DATABRICKS_HOST", host);
    await fromEnv().getHeaders(headersContext());
    expect(basicSeen).toEqual(["file-client:file-secret"]);
  });

  it("skips the default profile when the variables already configure something", async () => {
    await env.write(".databrickscfg", "[DEFAULT]\nclient_id = file-client\nclient_secret = file-secret\n");
    vi.stubEnv("DATABRICKS_HOST", host);
    const error = await rejection(fromEnv().getHeaders(headersContext()));
    expect(error).toMatchObject({ code: "auth_failed", retryable: false });
    expect((error as Error).message).toBe(
      "[auth_failed] no Databricks credentials found; looked for: DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET (with DATABRICKS_HOST); DATABRICKS_TOKEN",
    );
  });

  it("lists everything it looked for when nothing is configured", async () => {
    const error = await rejection(fromEnv().getHeaders(headersContext()));
    expect(error).toMatchObject({ code: "auth_failed", retryable: false });
    expect((error as Error).message).toBe(
      "[auth_failed] no Databricks credentials found; looked for: DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET " +
        `(with DATABRICKS_HOST); DATABRICKS_TOKEN; a config file at ${join(env.dir, ".databrickscfg")} (no such file)`,
    );
  });

  it("says when the file has no [DEFAULT] profile", async () => {
    await env.write(".databrickscfg", "[other]\ntoken = x\n");
    const error = await rejection(fromEnv().getHeaders(headersContext()));
    expect((error as Error).message).toContain(
      `a [DEFAULT] profile in ${join(env.dir, ".databrickscfg")} (none)`,
    );
  });

  it("tells nothing configured (auth_failed) from something half configured (invalid_argument)", async () => {
    await expect(fromEnv().getHeaders(headersContext())).rejects.toMatchObject({
      code: "auth_failed",
      retryable: false,
    });
    vi.stubEnv("DATABRICKS_CLIENT_ID", "half-configured");
    await expect(fromEnv().getHeaders(headersContext())).rejects.toMatchObject({
      code: "invalid_argument",
    });
  });

  it("does not keep a failed lookup: credentials set later are found", async () => {
    const provider = fromEnv();
    await expect(provider.getHeaders(headersContext())).rejects.toMatchObject({ code: "auth_failed" });
    vi.stubEnv("DATABRICKS_TOKEN", "late");
    expect(await provider.getHeaders(headersContext())).toEqual({ authorization: "Bearer late" });
  });

  it("keeps its choice, and looks again after reason unauthenticated (a rotated token)", async () => {
    vi.stubEnv("DATABRICKS_TOKEN", "first");
    const provider = fromEnv();
    await provider.getHeaders(headersContext());
    vi.stubEnv("DATABRICKS_TOKEN", "rotated");
    expect(await provider.getHeaders(headersContext({ reason: "recovery" }))).toEqual({
      authorization: "Bearer first",
    });
    expect(await provider.getHeaders(headersContext({ reason: "unauthenticated" }))).toEqual({
      authorization: "Bearer rotated",
    });
  });

  it.each([
    [
      "a token and client credentials at once",
      {
        DATABRICKS_TOKEN: "t",
        DATABRICKS_CLIENT_ID: "c",
        DATABRICKS_CLIENT_SECRET: "s",
        DATABRICKS_HOST: host,
      },
      "more than one authorization method is configured: OAuth client credentials (DATABRICKS_CLIENT_ID) and a token (DATABRICKS_TOKEN); keep one",
    ],
    [
      "a client id without a secret",
      { DATABRICKS_CLIENT_ID: "c", DATABRICKS_HOST: host },
      "DATABRICKS_CLIENT_ID is set but no OAuth client secret is",
    ],
    [
      "a client secret without an id",
      { DATABRICKS_CLIENT_SECRET: "s", DATABRICKS_HOST: host },
      "DATABRICKS_CLIENT_SECRET is set but no OAuth client id is",
    ],
    [
      "client credentials without a host",
      { DATABRICKS_CLIENT_ID: "c", DATABRICKS_CLIENT_SECRET: "s" },
      "OAuth client credentials (DATABRICKS_CLIENT_ID) need the workspace URL",
    ],
    [
      "a host that is not a URL",
      { DATABRICKS_CLIENT_ID: "c", DATABRICKS_CLIENT_SECRET: "s", DATABRICKS_HOST: "https://exa mple" },
      "DATABRICKS_HOST is not usable: workspaceUrl is not a valid URL",
    ],
    [
      "a client id with a colon, blaming the client id and not the host",
      { DATABRICKS_CLIENT_ID: "app:id", DATABRICKS_CLIENT_SECRET: "s", DATABRICKS_HOST: host },
      "DATABRICKS_CLIENT_ID is not usable: fromOAuthClientCredentials: clientId must not contain a colon",
    ],
    [
      "a client secret with a control character, blaming the client secret",
      { DATABRICKS_CLIENT_ID: "c", DATABRICKS_CLIENT_SECRET: "s\u0001", DATABRICKS_HOST: host },
      "DATABRICKS_CLIENT_SECRET is not usable: fromOAuthClientCredentials: clientSecret",
    ],
    [
      "a token with a space",
      { DATABRICKS_TOKEN: "a b" },
      "DATABRICKS_TOKEN is not usable: fromToken(token): token must be printable",
    ],
  ])("refuses %s with invalid_argument", async (_, variables, message) => {
    for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
    const error = await rejection(fromEnv().getHeaders(headersContext()));
    expect(error).toMatchObject({ code: "invalid_argument", retryable: false });
    expect((error as Error).message).toContain(message);
  });

  it("refuses a named profile missing from the file, listing the profiles", async () => {
    await env.write(".databrickscfg", "[DEFAULT]\ntoken = x\n[dev]\ntoken = y\n");
    vi.stubEnv("DATABRICKS_CONFIG_PROFILE", "prod");
    await expect(fromEnv().getHeaders(headersContext())).rejects.toMatchObject({
      code: "invalid_argument",
      message: `[invalid_argument] ${join(env.dir, ".databrickscfg")} has no [prod] profile (profiles: DEFAULT, dev)`,
    });
  });
});

describe("fromConfigFile", () => {
  it("reads only the file: environment credentials are ignored", async () => {
    const file = await env.write("team.cfg", "[ingest]\ntoken = from-file\n");
    vi.stubEnv("DATABRICKS_TOKEN", "from-env");
    const provider = fromConfigFile({ path: file, profile: "ingest" });
    expect(await provider.getHeaders(headersContext())).toEqual({ authorization: "Bearer from-file" });
  });

  it("expands ~ and defaults to DATABRICKS_CONFIG_PROFILE, then [DEFAULT]", async () => {
    await env.write("my.cfg", "[DEFAULT]\ntoken = default-token\n[named]\ntoken = named-token\n");
    expect(await fromConfigFile({ path: "~/my.cfg" }).getHeaders(headersContext())).toEqual({
      authorization: "Bearer default-token",
    });
    vi.stubEnv("DATABRICKS_CONFIG_PROFILE", "named");
    expect(await fromConfigFile({ path: "~/my.cfg" }).getHeaders(headersContext())).toEqual({
      authorization: "Bearer named-token",
    });
  });

  it("uses OAuth for a profile with client credentials", async () => {
    await env.write(
      ".databrickscfg",
      `[sp]\nhost = ${host}\nclient_id = sp-client\nclient_secret = sp-secret\n`,
    );
    await fromConfigFile({ profile: "sp" }).getHeaders(headersContext());
    expect(basicSeen).toEqual(["sp-client:sp-secret"]);
  });

  it("reports a missing file and a profile without credentials as not found", async () => {
    const missing = await rejection(
      fromConfigFile({ path: join(env.dir, "nope.cfg") }).getHeaders(headersContext()),
    );
    expect((missing as Error).message).toBe(
      `[auth_failed] no Databricks credentials found; looked for: a config file at ${join(env.dir, "nope.cfg")} (no such file)`,
    );
    const file = await env.write("empty.cfg", "[DEFAULT]\nhost = https://x.cloud.databricks.com\n");
    const empty = await rejection(fromConfigFile({ path: file }).getHeaders(headersContext()));
    expect((empty as Error).message).toBe(
      `[auth_failed] no Databricks credentials found; looked for: profile [DEFAULT] of ${file}`,
    );
  });

  it("refuses bad options at construction", () => {
    expect(() => fromConfigFile({ profile: "" })).toThrow(/profile must be a non-empty string/);
    expect(() => fromConfigFile({ path: 5 as never })).toThrow(/path must be a non-empty string/);
  });
});
