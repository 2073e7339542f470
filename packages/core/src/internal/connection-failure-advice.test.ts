import { describe, expect, it } from "vitest";
import {
  explainConnectionFailure,
  looksLikeWorkspaceUrl,
  nodeTrustAdvice,
  rustlsTrustAdvice,
} from "./connection-failure-advice.js";

const secure = { given: "https://1234.zerobus.us-west-2.cloud.databricks.com", secure: true };
const explain = (details: string, endpoint = secure, trust = nodeTrustAdvice) =>
  explainConnectionFailure(details, endpoint, trust);

describe("explainConnectionFailure on grpc-js's (OpenSSL's) wording", () => {
  it("leaves details it has no advice for as they are", () => {
    expect(explain("the table does not exist")).toBe("the table does not exist");
    expect(explain("No connection established. Last error: boom")).toBe(
      "No connection established. Last error: boom",
    );
  });

  it("says the server does not speak TLS, and why https was used, on OpenSSL's wrong version number", () => {
    const details =
      "No connection established. Last error: Error: 80DC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:";
    expect(explain(details, { given: "localhost:50051", secure: true })).toMatch(
      /the server does not speak TLS \(localhost:50051 has no scheme, so it was taken as https:\/\/\): use http:\/\/ with allowInsecure for a local mock$/,
    );
    expect(explain(details, { given: "https://localhost:50051", secure: true })).toMatch(
      /ssl3_record\.c:350:: the server does not speak TLS: use http:\/\/ with allowInsecure/,
    );
    // Plaintext was chosen: TLS is not the problem.
    expect(explain(details, { given: "http://localhost:50051", secure: false })).toBe(details);
  });

  it("names tls: { ca } and the backend's CA variable for an untrusted chain, not for other TLS failures", () => {
    for (const reason of [
      "unable to verify the first certificate",
      "self-signed certificate in certificate chain",
      "unable to get local issuer certificate",
    ]) {
      expect(explain(`No connection established. Last error: Error: ${reason}`)).toMatch(
        /not trusted: pass its CA as tls: \{ ca \} \(or set NODE_EXTRA_CA_CERTS=/,
      );
    }
    expect(explain("Hostname/IP does not match certificate's altnames")).not.toMatch(/tls: \{ ca \}/);
  });

  it("says the endpoint looks like a workspace URL when its host has the shape of one", () => {
    const given = "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com";
    expect(explain("Received HTTP status code 404", { given, secure: true })).toMatch(
      /dbc-a1b2c3d4-e5f6\.cloud\.databricks\.com looks like a workspace URL, not a Zerobus endpoint .*swapped\?$/,
    );
  });

  it("says an HTTP/1.1 server does not speak HTTP/2 (gRPC)", () => {
    expect(
      explain("No connection established. Last error: Protocol error", {
        given: "http://127.0.0.1:1",
        secure: false,
      }),
    ).toMatch(/http:\/\/127\.0\.0\.1:1 does not speak HTTP\/2 \(gRPC\): is it the workspace URL/);
  });
});

describe("explainConnectionFailure on the native core's (rustls's, hyper's) wording", () => {
  it.each([
    [
      "received corrupt message of type InvalidContentType",
      { given: "127.0.0.1:1", secure: true },
      /does not speak TLS \(127\.0\.0\.1:1 has no scheme/,
    ],
    ["invalid peer certificate: UnknownIssuer", secure, /tls: \{ ca \}/],
    [
      "h2 protocol error: http2 error",
      { given: "http://127.0.0.1:1", secure: false },
      /does not speak HTTP\/2/,
    ],
  ])("%s", (details, endpoint, hint) => {
    expect(explain(details, endpoint, rustlsTrustAdvice)).toMatch(hint);
  });

  it("names SSL_CERT_FILE, not NODE_EXTRA_CA_CERTS, which the Rust core never reads", () => {
    const explained = explain("invalid peer certificate: UnknownIssuer", secure, rustlsTrustAdvice);
    expect(explained).toMatch(/pass its CA as tls: \{ ca \} \(or set SSL_CERT_FILE=/);
    expect(explained).not.toMatch(/NODE_EXTRA_CA_CERTS/);
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
