import type { ZerobusError } from "@zerobus/core";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { failureHint } from "../src/failure-hint.js";
import { fromOAuthClientCredentials } from "../src/index.js";
import { headersContext, proxyVariables } from "./support/context.js";

// A workspace URL and a Zerobus endpoint swapped, as users do: the token request then reaches a gRPC
// server, which answers HTTP/1.1 with HTTP/2 ("Response does not match the HTTP/1.1 protocol").
let mock: MockServer;
const msw = setupServer();
beforeAll(async () => {
  mock = await createMockServer();
  // Requests msw has no handler for (the mock's sockets) go out for real.
  msw.listen({ onUnhandledRequest: "bypass" });
});
afterAll(async () => {
  msw.close();
  await mock?.close();
});
beforeEach(() => {
  for (const name of proxyVariables) vi.stubEnv(name, "");
});
afterEach(() => {
  msw.resetHandlers();
  vi.unstubAllEnvs();
});

async function tokenFailure(workspaceUrl: string): Promise<ZerobusError> {
  const provider = fromOAuthClientCredentials({ workspaceUrl, clientId: "id", clientSecret: "s3cret" });
  try {
    await provider.getHeaders(headersContext());
  } catch (error) {
    return error as ZerobusError;
  }
  throw new Error("no failure");
}

describe("token request failures that say what to do", () => {
  it("the mock's gRPC endpoint given as the workspace URL (real sockets): asks whether they were swapped", async () => {
    const error = await tokenFailure(mock.endpoint);
    expect(error.code).toBe("unavailable");
    expect(error.message).toContain("Response does not match the HTTP/1.1 protocol");
    expect(error.message).toMatch(
      /127\.0\.0\.1:\d+ answered in HTTP\/2 only, as a Zerobus \(gRPC\) endpoint does: were the endpoint and the workspace URL swapped\?$/,
    );
  });

  it("a zerobus host given as the workspace URL: says it is the Zerobus endpoint, whatever the failure", async () => {
    const workspaceUrl = "https://1234567890123456.zerobus.us-west-2.cloud.databricks.com";
    msw.use(http.post(`${workspaceUrl}/oidc/v1/token`, () => HttpResponse.error()));
    const error = await tokenFailure(workspaceUrl);
    expect(error.message).toMatch(
      /1234567890123456\.zerobus\.us-west-2\.cloud\.databricks\.com is a Zerobus endpoint, not a workspace URL .*swapped\?$/,
    );
    msw.use(http.post(`${workspaceUrl}/oidc/v1/token`, () => new HttpResponse("no", { status: 404 })));
    expect((await tokenFailure(workspaceUrl)).message).toMatch(/HTTP 404\): no: .* is a Zerobus endpoint/);
  });

  it("adds nothing for a workspace URL and an unrelated failure", () => {
    expect(
      failureHint("https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/oidc/v1/token", new Error("boom")),
    ).toBe("");
  });

  it("names NODE_EXTRA_CA_CERTS for an untrusted certificate and http:// for a plaintext server", () => {
    const url = "https://127.0.0.1:8443/oidc/v1/token";
    const untrusted = Object.assign(new Error("unable to verify the first certificate"), {
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
    expect(failureHint(url, new TypeError("fetch failed", { cause: untrusted }))).toMatch(
      /not trusted: set NODE_EXTRA_CA_CERTS=/,
    );
    const plaintext = new Error("80DC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number");
    expect(failureHint(url, new TypeError("fetch failed", { cause: plaintext }))).toMatch(
      /does not speak TLS: use http:\/\/ for a local mock/,
    );
  });
});
