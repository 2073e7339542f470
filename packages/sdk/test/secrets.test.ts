import { inspect } from "node:util";
import { createMockServer } from "@zerobus/mock-server";
import { expect, it } from "vitest";
import type { Logger } from "../src/index.js";
import { ZerobusSdk } from "../src/index.js";

const clientSecret = "zb-client-secret-7f3c9a1e55d04b2f";

/** Every error and, recursively, its `cause`s (AggregateErrors included). */
function withCauses(error: unknown, into: unknown[] = []): unknown[] {
  if (error === undefined || error === null || into.includes(error)) return into;
  into.push(error);
  if (error instanceof AggregateError) for (const inner of error.errors) withCauses(inner, into);
  if (error instanceof Error) withCauses(error.cause, into);
  return into;
}

function renderings(value: unknown): string[] {
  const rendered = [inspect(value, { depth: 10, showHidden: true, getters: true })];
  try {
    rendered.push(JSON.stringify(value) ?? "");
  } catch {
    // Circular structures cannot be stringified; inspect covered them.
  }
  if (value instanceof Error) rendered.push(String(value.stack), value.message);
  return rendered;
}

it("never shows the client secret or a token in logs, inspect, JSON, errors or causes", async () => {
  const server = await createMockServer({ oauth: { clientSecret } });
  const logs: string[] = [];
  const capture =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      logs.push(`${level} ${message} ${inspect(fields, { depth: 10 })}`);
    };
  const logger: Logger = {
    debug: capture("debug"),
    info: capture("info"),
    warn: capture("warn"),
    error: capture("error"),
  };
  const sdk = new ZerobusSdk(server.endpoint, server.workspaceUrl, {
    backend: "js",
    allowInsecure: true,
    workspaceId: "1234567890123456",
    logger,
  });
  const seen: unknown[] = [sdk];
  const fast = { recoveryBackoffMs: 20, recoveryRetries: 3 };
  try {
    // Creation that first meets token endpoint failures (retryable 5xx), then succeeds.
    server.oauth.script([{ error: { status: 503, body: "maintenance" } }, { error: { status: 500 } }]);
    const table = "main.secrets.events";
    const stream = await sdk.createStream(table, server.credentials.clientId, clientSecret, fast);
    seen.push(stream, stream.stats());
    await stream.ingestRecordAndWait({ reading: 1 });

    // The token expires mid-stream: the server ends the stream, the stream recovers with a fresh token.
    server.expireTokens();
    await server.table(table).waitForConnections(2);
    await stream.ingestRecordAndWait({ reading: 2 });
    expect(stream.stats().recoveries).toBeGreaterThanOrEqual(1);

    // Wrong secret: a non-retryable auth failure that carries the server's description.
    const wrong = `${clientSecret}-wrong`;
    await sdk
      .createStream("main.secrets.other", server.credentials.clientId, wrong, fast)
      .catch((e) => seen.push(...withCauses(e)));
    // Token endpoint answering 200 without a token.
    server.oauth.script([{ token: { omitAccessToken: true } }]);
    await sdk
      .createStream("main.secrets.third", server.credentials.clientId, clientSecret, fast)
      .catch((e) => seen.push(...withCauses(e)));
    // The server rejecting a revoked token at creation twice in a row.
    server.revokeTokens();
    await stream.close();
    seen.push(stream);

    const tokens = server.oauth.tokens.map((issued) => issued.token);
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(seen.filter((value) => value instanceof Error).length).toBeGreaterThanOrEqual(2);
    expect(logs.length).toBeGreaterThan(0);
    const haystack = [...logs, ...seen.flatMap(renderings)].join("\n");
    for (const secret of [clientSecret, ...tokens]) {
      expect(haystack.includes(secret), `a secret leaked: ${secret.slice(0, 4)}…`).toBe(false);
    }
  } finally {
    await sdk.close();
    await server.close();
  }
});
