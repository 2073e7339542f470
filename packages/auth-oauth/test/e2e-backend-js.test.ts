import { createBackend } from "@zerobus/backend-js";
import type { HeadersContext, HeadersProvider, HeadersReason, ZerobusError } from "@zerobus/core";
import { GrpcStatus, resolveStreamOptions, silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fromOAuthClientCredentials } from "../src/index.js";
import { proxyVariables } from "./support/context.js";

// End to end over real sockets: backend-js streams to @zerobus/mock-server, authenticated by this
// package against the mock's real OAuth token endpoint; the server then rejects the token mid-stream.
const table = "main.default.events";
let mock: MockServer;
let backend: StreamRegistry;

beforeEach(async () => {
  for (const name of proxyVariables) vi.stubEnv(name, "");
  mock = await createMockServer({ oauth: { workspaceId: "1234567890123456" } });
  backend = new StreamRegistry(
    createBackend({
      endpoint: mock.endpoint,
      allowInsecure: true,
      workspaceId: "1234567890123456",
      logger: silentLogger,
    }),
  );
});

afterEach(async () => {
  await backend?.close();
  await mock?.close();
  vi.unstubAllEnvs();
});

/** The OAuth provider for the mock's endpoint, recording the reason of every call. */
function recordingProvider(): { provider: HeadersProvider; reasons: HeadersReason[] } {
  const oauth = fromOAuthClientCredentials({
    workspaceUrl: mock.workspaceUrl,
    clientId: mock.credentials.clientId,
    clientSecret: mock.credentials.clientSecret,
  });
  const reasons: HeadersReason[] = [];
  return {
    reasons,
    provider: {
      getHeaders: (context: HeadersContext) => {
        reasons.push(context.reason);
        return oauth.getHeaders(context);
      },
    },
  };
}

const options = resolveStreamOptions({ recoveryBackoffMs: 50 }, { hasDescriptor: false });

describe("auth-oauth with backend-js and the mock server", () => {
  it("authenticates a stream, and recovers from a mid-stream expiry with one forced refresh", async () => {
    const { provider, reasons } = recordingProvider();
    const stream = await backend.openStream({ tableName: table }, options, provider);
    await stream.ingestRecord('{"n":1}');
    await stream.flush();
    expect(mock.oauth.requests.map((r) => [r.status, r.table, r.workspaceId])).toEqual([
      [200, table, "1234567890123456"],
    ]);

    expect(mock.expireTokens()).toBeGreaterThan(0);
    await stream.ingestRecord('{"n":2}');
    await stream.flush();

    expect(reasons).toEqual(["create", "unauthenticated"]);
    expect(mock.oauth.requests).toHaveLength(2);
    expect(stream.state).toBe("open");
    expect(stream.stats()).toMatchObject({ recoveries: 1, recordsAcked: 2 });
    const [first, second] = mock.oauth.tokens;
    expect(first?.token).not.toBe(second?.token);
    await stream.close();
  });

  it("fails with retryable false when the fresh token is rejected too", async () => {
    const { provider, reasons } = recordingProvider();
    const failures: ZerobusError[] = [];
    const stream = await backend.openStream({ tableName: table }, options, provider, {
      events: { onError: (error) => failures.push(error) },
    });
    await stream.ingestRecord('{"n":1}');
    await stream.flush();

    mock.script(table, [{ failCreate: { code: GrpcStatus.UNAUTHENTICATED, details: "token rejected" } }]);
    expect(mock.expireTokens()).toBeGreaterThan(0);
    const pending = stream.ingestRecord('{"n":2}').then(() => stream.flush());

    await expect(pending).rejects.toMatchObject({ code: "unauthenticated", retryable: false });
    expect(stream.state).toBe("failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ code: "unauthenticated", retryable: false });
    expect(reasons).toEqual(["create", "unauthenticated"]);
    expect(mock.oauth.requests).toHaveLength(2);
  });
});
