import { resolveStreamOptions } from "@zerobus/core";
import { createMockServer, type MockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend } from "./create-backend.js";
import { explainDetails } from "./grpc-failure.js";

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

  // The advice itself is core's (connection-failure-advice.test.ts); here, what is grpc-js's own.
  it("advises after the trimmed trailer, naming NODE_EXTRA_CA_CERTS for an untrusted chain", () => {
    expect(
      explainDetails(
        "No connection established. Last error: Error: unable to verify the first certificate. Resolution note: ",
        secure,
      ),
    ).toMatch(
      /first certificate: the server's certificate is not trusted: pass its CA as tls: \{ ca \} \(or set NODE_EXTRA_CA_CERTS=/,
    );
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
    const streams = localStreams(createBackend, endpoint, { allowInsecure });
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
