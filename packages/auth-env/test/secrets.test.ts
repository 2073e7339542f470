import { inspect } from "node:util";
import { fromOAuthClientCredentials } from "@zerobus/auth-oauth";
import { fromHeaders, fromToken } from "@zerobus/auth-static";
import type { HeadersProvider, Logger } from "@zerobus/core";
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fromConfigFile, fromEnv } from "../src/index.js";
import { headersContext, isolatedEnv, restoreEnv } from "./support.js";

// Every secret in play: two client secrets, two static tokens, and every token the endpoint issues.
const host = "https://dbc-secrets.cloud.databricks.com";
const clientSecret = "CLIENT-SECRET-7f3a9c";
const envClientSecret = "ENV-CLIENT-SECRET-51d0";
const pat = "dapiPATSECRET0123456789abcdef";
const filePat = "dapiFILEPAT0123456789abcdef";
const issued: string[] = [];

/** What the token endpoint does next; each request takes the next step, then tokens forever. */
let steps: (() => Response | Promise<Response>)[] = [];
const issue = (expiresIn = 600) => {
  const token = `ISSUED-TOKEN-${issued.length + 1}-x9`;
  issued.push(token);
  return HttpResponse.json({ access_token: token, expires_in: expiresIn });
};

const server = setupServer(
  http.post(`${host}/oidc/v1/token`, () => {
    const step = steps.shift();
    return step === undefined ? issue() : step();
  }),
);
let env: Awaited<ReturnType<typeof isolatedEnv>>;
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());
beforeEach(async () => {
  env = await isolatedEnv();
});
afterEach(async () => {
  await restoreEnv(env?.dir);
});

/** Every string that would reveal a secret: the secrets, issued tokens, and the Basic credentials. */
function secrets(): string[] {
  const basics = [`oauth-client:${clientSecret}`, `env-client:${envClientSecret}`].map((pair) =>
    Buffer.from(pair).toString("base64"),
  );
  return [clientSecret, envClientSecret, pat, filePat, ...issued, ...basics];
}

/** `value`, and recursively its `cause`s and `errors`. */
function withCauses(value: unknown, seen = new Set<unknown>()): unknown[] {
  if (value === null || typeof value !== "object" || seen.has(value)) return [];
  seen.add(value);
  const { cause, errors } = value as { cause?: unknown; errors?: unknown };
  const nested = Array.isArray(errors) ? errors.flatMap((e) => withCauses(e, seen)) : [];
  return [value, ...withCauses(cause, seen), ...nested];
}

/** The renderings a user might log: inspect (everything, hidden too), JSON, String, and an error's stack. */
function renderings(value: unknown): string[] {
  const json = JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "";
  const stack = value instanceof Error ? (value.stack ?? "") : "";
  return [inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }), json, String(value), stack];
}

function leaks(values: unknown[]): string[] {
  const found: string[] = [];
  for (const value of values.flatMap((v) => withCauses(v).concat(typeof v === "object" ? [] : [v]))) {
    for (const text of renderings(value)) {
      for (const secret of secrets())
        if (text.includes(secret)) found.push(`${secret} in ${text.slice(0, 120)}`);
    }
  }
  return found;
}

async function settle(promise: unknown): Promise<unknown> {
  try {
    return await promise;
  } catch (error) {
    return error;
  }
}

describe("no secret in providers, errors, causes or logs", () => {
  it("the search itself finds a secret where there is one", () => {
    issued.length = 0;
    expect(leaks([{ nested: { deep: new Error("x", { cause: new Error(`token ${pat}`) }) } }])).not.toEqual(
      [],
    );
  });

  it("holds after token successes, refreshes and every kind of failure", async () => {
    issued.length = 0;
    const logged: unknown[] = [];
    const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
      logged.push({ level, message, fields });
    };
    const logger: Logger = {
      debug: record("debug"),
      info: record("info"),
      warn: record("warn"),
      error: record("error"),
    };
    const clock = { now: 1_700_000_000_000 };
    const oauth = fromOAuthClientCredentials({
      workspaceUrl: host,
      clientId: "oauth-client",
      clientSecret,
      logger,
      now: () => clock.now,
      timeoutMs: 300,
    });
    vi.stubEnv("DATABRICKS_HOST", host);
    vi.stubEnv("DATABRICKS_CLIENT_ID", "env-client");
    vi.stubEnv("DATABRICKS_CLIENT_SECRET", envClientSecret);
    const envOAuth = fromEnv({ logger });
    const file = await env.write("pat.cfg", `[DEFAULT]\ntoken = ${filePat}\n`);
    const providers: HeadersProvider[] = [
      oauth,
      envOAuth,
      fromConfigFile({ path: file, logger }),
      fromToken(pat),
      fromHeaders({ authorization: `Bearer ${pat}`, "x-extra": pat }),
    ];
    const outcomes: unknown[] = [];
    const ctx = headersContext();

    // Successes and refreshes: a token, one by early refresh (clock), one forced by UNAUTHENTICATED.
    outcomes.push(await oauth.getHeaders(ctx));
    clock.now += 301_000;
    outcomes.push(await oauth.getHeaders(ctx));
    outcomes.push(await oauth.getHeaders(headersContext({ reason: "unauthenticated" })));
    outcomes.push(
      await envOAuth.getHeaders(ctx),
      await envOAuth.getHeaders(headersContext({ reason: "unauthenticated" })),
    );

    // Failures, each on a forced refresh so it reaches the endpoint.
    const leaky = "LEAKED-IN-BODY-TOKEN-1";
    const spaced = "LEAKED TOKEN-2";
    const unusable = "LEAKED-TOKEN-3-BAD-EXPIRY";
    issued.push(leaky, spaced, unusable);
    steps = [
      () =>
        HttpResponse.json(
          { error: "invalid_client", error_description: `bad secret ${clientSecret}` },
          { status: 401 },
        ),
      () => HttpResponse.text(`upstream echoed ${clientSecret}`, { status: 500 }),
      () => HttpResponse.text(`{"access_token":"${leaky}", oops`),
      () => HttpResponse.json({ access_token: spaced, expires_in: 60 }),
      () => HttpResponse.json({ access_token: unusable, expires_in: "later" }),
      () => HttpResponse.json({ token_type: "Bearer" }),
      () => HttpResponse.error(),
      async () => {
        await delay("infinite");
        return HttpResponse.json({});
      },
    ];
    const forced = headersContext({ reason: "unauthenticated" });
    while (steps.length > 0) outcomes.push(await settle(oauth.getHeaders(forced)));
    outcomes.push(await settle(envOAuth.getHeaders(headersContext({ tableName: "no-dots" }))));

    // Configuration errors carrying a secret-looking value.
    outcomes.push(await settle(Promise.resolve().then(() => fromToken(`${pat} trailing`))));
    outcomes.push(
      await settle(Promise.resolve().then(() => fromHeaders({ authorization: `Bearer ${pat}\n` }))),
    );
    const badFile = await env.write("bad.cfg", `[DEFAULT]\n${filePat}\n`);
    outcomes.push(await settle(fromConfigFile({ path: badFile }).getHeaders(ctx)));
    vi.stubEnv("DATABRICKS_TOKEN", pat);
    outcomes.push(await settle(fromEnv({ logger }).getHeaders(ctx)));

    const errors = outcomes.filter((o) => o instanceof Error);
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual([
      "auth_failed",
      "unavailable",
      "auth_failed",
      "auth_failed",
      "auth_failed",
      "auth_failed",
      "unavailable",
      "deadline_exceeded",
      "invalid_argument",
      "invalid_argument",
      "invalid_argument",
      "invalid_argument",
      "invalid_argument",
    ]);
    expect(issued.length).toBeGreaterThanOrEqual(8);
    expect(logged.length).toBeGreaterThan(0);
    expect(leaks([...providers, ...errors, ...logged])).toEqual([]);
  });
});
