import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { GrpcStatusCode } from "../status.js";
import { TestStream } from "../test-support/test-stream.js";
import { generateTls } from "./generate-tls.js";

const TABLE = "main.default.tls";
let server: MockServer;

beforeAll(async () => {
  server = await createMockServer({ tls: true });
});
afterAll(() => server.close());

describe("TLS", () => {
  it("serves https to a client that trusts the CA", async () => {
    expect(server.endpoint).toBe(`https://localhost:${server.port}`);
    const stream = new TestStream(server.address, server.headers(TABLE), { ca: server.ca! });
    stream.create(TABLE);
    expect((await stream.next()).payload.case).toBe("createStreamResponse");
    stream.cancel();
    stream.close();
  });

  it("is refused by a client that does not trust the CA", async () => {
    const other = await generateTls();
    const stream = new TestStream(server.address, server.headers(TABLE), { ca: other.ca });
    stream.create(TABLE);
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    stream.close();
  });

  it("uses a real CA and a loopback leaf signed by it (rustls refuses a self-signed leaf as its own CA)", async () => {
    const material = await generateTls();
    const ca = new X509Certificate(material.ca);
    const leaf = new X509Certificate(material.cert);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toBe("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    expect(leaf.checkHost("localhost")).toBe("localhost");
    expect(leaf.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(new Date(leaf.validFrom).getTime()).toBeLessThan(Date.now());
    expect(leaf.checkPrivateKey((await import("node:crypto")).createPrivateKey(material.key))).toBe(true);
  });
});
