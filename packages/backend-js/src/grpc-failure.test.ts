import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";
import { createMockServer, type MockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend } from "./create-backend.js";
import { explainDetails, looksLikeWorkspaceUrl } from "./grpc-failure.js";

const secure = { given: "https://1234.zerobus.us-west-2.cloud.databricks.com", secure: true };

describe("explainDetails", () => {
  it("trims grpc-js's empty Resolution note, and only an empty one", () => {
    expect(explainDetails("No connection established. Last error: boom. Resolution note: ", secure)).toBe(
      "No connection established. Last error: boom",
    );
    expect(explainDetails("Name resolution failed\n. Resolution note: ", secure)).toBe(
      "Name resolution failed",
    );
    expect(explainDetails("failed. Resolution note: retry later", secure)).toBe(
      "failed. Resolution note: retry later",
    );
    expect(explainDetails("the table does not exist", secure)).toBe("the table does not exist");
  });

  it("says the server does not speak TLS, and why https was used, on OpenSSL's wrong version number", () => {
    const details =
      "No connection established. Last error: Error: 80DC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n. Resolution note: ";
    expect(explainDetails(details, { given: "localhost:50051", secure: true })).toMatch(
      /the server does not speak TLS \(localhost:50051 has no scheme, so it was taken as https:\/\/\): use http:\/\/ with allowInsecure for a local mock$/,
    );
    expect(explainDetails(details, { given: "https://localhost:50051", secure: true })).toMatch(
      /ssl3_record\.c:350:: the server does not speak TLS: use http:\/\/ with allowInsecure/,
    );
  });

  it("names tls: { ca } and NODE_EXTRA_CA_CERTS for an untrusted chain, not for other TLS failures", () => {
    for (const reason of [
      "unable to verify the first certificate",
      "self-signed certificate in certificate chain",
      "unable to get local issuer certificate",
    ]) {
      expect(explainDetails(`No connection established. Last error: Error: ${reason}`, secure)).toMatch(
        /not trusted: pass its CA as tls: \{ ca \} \(or set NODE_EXTRA_CA_CERTS=/,
      );
    }
    expect(explainDetails("Hostname/IP does not match certificate's altnames", secure)).not.toMatch(
      /tls: \{ ca \}/,
    );
  });

  it("says the endpoint looks like a workspace URL when its host has the shape of one", () => {
    const given = "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com";
    expect(explainDetails("Received HTTP status code 404", { given, secure: true })).toMatch(
      /dbc-a1b2c3d4-e5f6\.cloud\.databricks\.com looks like a workspace URL, not a Zerobus endpoint .*swapped\?$/,
    );
  });
});

describe("explainDetails on the native core's wording of the same failures", () => {
  it.each([
    [
      "received corrupt message of type InvalidContentType",
      { given: "127.0.0.1:1", secure: true },
      /does not speak TLS/,
    ],
    ["invalid peer certificate: UnknownIssuer", secure, /tls: \{ ca \}/],
    [
      "h2 protocol error: http2 error",
      { given: "http://127.0.0.1:1", secure: false },
      /does not speak HTTP\/2/,
    ],
  ])("%s", (details, endpoint, hint) => {
    expect(explainDetails(details, endpoint)).toMatch(hint);
  });
});

describe("looksLikeWorkspaceUrl", () => {
  it.each([
    ["https://dbc-a1b2c3d4-e5f6.cloud.databricks.com", true],
    ["adb-1234567890123456.7.azuredatabricks.net", true],
    ["https://1234567890123456.7.gcp.databricks.com/", true],
    ["https://1234.zerobus.us-west-2.cloud.databricks.com", false],
    ["1234.zerobus.eastus.azuredatabricks.net:443", false],
    ["http://127.0.0.1:50051", false],
    ["not a url", false],
  ])("%s: %s", (endpoint, expected) => {
    expect(looksLikeWorkspaceUrl(endpoint)).toBe(expected);
  });
});

// Real sockets: each failure as grpc-js reports it, turned into the error a user sees.
describe("connection failures against the mock server", () => {
  let plaintext: MockServer;
  let tls: MockServer;
  beforeAll(async () => {
    [plaintext, tls] = await Promise.all([createMockServer(), createMockServer({ tls: true })]);
  });
  afterAll(async () => {
    await Promise.all([plaintext?.close(), tls?.close()]);
  });

  const noRetry = resolveStreamOptions(
    { recovery: false, recoveryTimeoutMs: 10_000, recoveryRetries: 0 },
    { hasDescriptor: false },
  );
  async function openFailure(endpoint: string, allowInsecure: boolean, server: MockServer) {
    const streams = new StreamRegistry(
      createBackend({ endpoint, allowInsecure, workspaceId: "1", logger: silentLogger }),
    );
    const { token } = server.issueToken();
    try {
      await streams.openStream({ tableName: "main.default.t" }, noRetry, {
        getHeaders: () => ({ authorization: `Bearer ${token}` }),
      });
      throw new Error("the stream opened");
    } catch (error) {
      return error as { code: string; message: string; retryable: boolean };
    } finally {
      await streams.close();
    }
  }

  it("a plaintext server given as host:port (taken as https): does not speak TLS, use http:// with allowInsecure", async () => {
    const error = await openFailure(plaintext.address, false, plaintext);
    expect(error.code).toBe("unavailable");
    expect(error.message).toContain("wrong version number");
    expect(error.message).toMatch(
      /the server does not speak TLS \(127\.0\.0\.1:\d+ has no scheme, so it was taken as https:\/\/\): use http:\/\/ with allowInsecure for a local mock$/,
    );
    expect(error.message).not.toMatch(/Resolution note/);
  });

  it("a TLS server whose CA is not given: names tls: { ca } and NODE_EXTRA_CA_CERTS", async () => {
    const error = await openFailure(tls.endpoint, false, tls);
    expect(error.code).toBe("unavailable");
    expect(error.message).toMatch(
      /unable to verify the first certificate: the server's certificate is not trusted: pass its CA as tls: \{ ca \} \(or set NODE_EXTRA_CA_CERTS=/,
    );
    expect(error.message).not.toMatch(/Resolution note/);
  });

  it("the workspace URL (an HTTP/1.1 server) given as the endpoint: says it does not speak gRPC and may be swapped", async () => {
    const error = await openFailure(plaintext.workspaceUrl, true, plaintext);
    expect(error.code).toBe("unavailable");
    expect(error.message).toMatch(/Protocol error.*does not speak HTTP\/2 \(gRPC\): is it the workspace URL/);
    expect(error.message).not.toMatch(/Resolution note/);
  });
});
