import { resolveStreamOptions } from "@zerobus/core";
import { createMockServer, type MockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend } from "./create-backend.js";

// Real sockets: each failure as the Rust core (rustls, hyper) reports it, turned into the error a user
// sees, with the same advice backend-js gives (core's explainConnectionFailure) and the core's code.
describe("connection failures against the mock server, on the native backend", () => {
  let plaintext: MockServer;
  let tls: MockServer;
  beforeAll(async () => {
    [plaintext, tls] = await Promise.all([createMockServer(), createMockServer({ tls: true })]);
  });
  afterAll(async () => {
    await Promise.all([plaintext?.close(), tls?.close()]);
  });

  // One attempt, bounded: a failure to connect ends the open at once instead of being retried.
  const noRetry = resolveStreamOptions(
    { recovery: false, recoveryTimeoutMs: 5_000, recoveryBackoffMs: 10, recoveryRetries: 0 },
    { hasDescriptor: false },
  );
  async function open(endpoint: string, allowInsecure: boolean, server: MockServer, ca?: string) {
    const streams = localStreams(createBackend, endpoint, {
      allowInsecure,
      ...(ca === undefined ? {} : { tls: { ca } }),
    });
    const { token } = server.issueToken();
    try {
      const stream = await streams.openStream({ tableName: "main.default.t" }, noRetry, {
        getHeaders: () => ({ authorization: `Bearer ${token}` }),
      });
      return { opened: stream };
    } catch (error) {
      return { error: error as { code: string; message: string; retryable: boolean; cause?: unknown } };
    } finally {
      await streams.close();
    }
  }

  it("a plaintext server given as host:port (taken as https): does not speak TLS, use http:// with allowInsecure", async () => {
    const { error } = await open(plaintext.address, false, plaintext);
    expect(error).toMatchObject({ code: "unavailable", retryable: true });
    expect(error?.message).toMatch(
      /received corrupt message of type InvalidContentType: the server does not speak TLS \(127\.0\.0\.1:\d+ has no scheme, so it was taken as https:\/\/\): use http:\/\/ with allowInsecure for a local mock$/,
    );
    // What the core said stays as it said it.
    expect(error?.cause).toMatchObject({ details: "received corrupt message of type InvalidContentType" });
  });

  it("a TLS server whose CA is not given: names tls: { ca } and SSL_CERT_FILE, not NODE_EXTRA_CA_CERTS", async () => {
    const { error } = await open(tls.endpoint, false, tls);
    expect(error).toMatchObject({ code: "unavailable", retryable: true });
    expect(error?.message).toMatch(
      /invalid peer certificate: UnknownIssuer: the server's certificate is not trusted: pass its CA as tls: \{ ca \} \(or set SSL_CERT_FILE=/,
    );
    expect(error?.message).not.toMatch(/NODE_EXTRA_CA_CERTS/);
  });

  it("the same TLS server with its CA as tls: { ca }: the stream opens (the advice holds)", async () => {
    const { opened, error } = await open(tls.endpoint, false, tls, tls.ca);
    expect(error).toBeUndefined();
    expect(opened?.streamId).toBeDefined();
  });

  it("the mock's OAuth/HTTP endpoint (an HTTP/1.1 server) given as the endpoint: says it does not speak gRPC and may be swapped", async () => {
    const { error } = await open(plaintext.workspaceUrl, true, plaintext);
    expect(error).toMatchObject({ code: "internal", retryable: true });
    expect(error?.message).toMatch(
      /h2 protocol error: http2 error: http:\/\/127\.0\.0\.1:\d+ does not speak HTTP\/2 \(gRPC\): is it the workspace URL/,
    );
  });
});
