import { mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SecureContext } from "node:tls";
import { connect, createSecureContext, createServer, rootCertificates } from "node:tls";
import type { BackendConfig } from "@zerobus/core";
import { silentLogger } from "@zerobus/core";
import type { MockTlsMaterial } from "@zerobus/mock-server";
import { generateTls } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import { extraCaCertificates, secureContextTrusting, withoutBundledRoots } from "./trusted-roots.js";

const testCa = "-----BEGIN CERTIFICATE-----\nTESTCA\n-----END CERTIFICATE-----\n";
/** Node's bundled roots as a system bundle writes them: 64 columns, CRLF line ends, a label before each. */
const systemBundle = rootCertificates
  .map((pem, i) => {
    const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, "").replace(/.{1,64}/g, "$&\r\n");
    return `# root ${i}\r\n-----BEGIN CERTIFICATE-----\r\n${body}-----END CERTIFICATE-----\r\n`;
  })
  .join("");
const writePem = (text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), "zb-ca-")), "extra.pem");
  writeFileSync(file, text);
  return file;
};
const config = (extra: Partial<BackendConfig> = {}): BackendConfig => ({
  endpoint: "https://1.zerobus.example.com",
  allowInsecure: false,
  workspaceId: "1",
  logger: silentLogger,
  ...extra,
});

describe("extraCaCertificates", () => {
  it("leaves grpc-js's default when nothing extra is configured", () => {
    expect(extraCaCertificates(config(), {})).toBeNull();
  });

  it("adds NODE_EXTRA_CA_CERTS to the bundled roots", () => {
    const file = writePem(testCa);
    expect(extraCaCertificates(config(), { NODE_EXTRA_CA_CERTS: file })).toEqual([testCa]);
  });

  it("leaves out the certificates Node bundles already, and keeps the rest of the file", () => {
    const file = writePem(`${systemBundle}${testCa}`);
    const [kept] = extraCaCertificates(config(), { NODE_EXTRA_CA_CERTS: file }) ?? [];
    expect(kept).toContain(testCa);
    expect(kept).not.toContain("-----BEGIN CERTIFICATE-----\r\n");
    expect(kept?.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(kept).toContain(`# root ${rootCertificates.length - 1}`);
  });

  it("still makes a context of its own when NODE_EXTRA_CA_CERTS holds only bundled roots", () => {
    const file = writePem(systemBundle);
    expect(extraCaCertificates(config(), { NODE_EXTRA_CA_CERTS: file })).toEqual([]);
    expect(extraCaCertificates(config({ tls: { ca: testCa } }), { NODE_EXTRA_CA_CERTS: file })).toEqual([
      testCa,
    ]);
  });

  it("keeps every certificate under --use-openssl-ca, whose contexts start from OpenSSL's store", () => {
    expect(withoutBundledRoots(systemBundle, { NODE_OPTIONS: "--use-openssl-ca" })).toBe(systemBundle);
  });

  it("adds the tls.ca option too", () => {
    expect(extraCaCertificates(config({ tls: { ca: testCa } }), {})).toEqual([testCa]);
  });

  it("warns about an unreadable NODE_EXTRA_CA_CERTS and goes on without it", () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    expect(
      extraCaCertificates(config({ logger }), { NODE_EXTRA_CA_CERTS: "/nonexistent/ca.pem" }),
    ).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});

describe("secureContextTrusting", () => {
  /** Completes a TLS handshake with a local server whose certificate `ca` signed; resolves with the error if any. */
  async function handshake(context: SecureContext, material: MockTlsMaterial): Promise<Error | undefined> {
    const server = createServer({ cert: material.cert, key: material.key }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<Error | undefined>((resolve) => {
        const socket = connect({ host: "127.0.0.1", port, servername: "localhost", secureContext: context });
        socket.once("secureConnect", () => {
          socket.destroy();
          resolve(undefined);
        });
        socket.once("error", resolve);
      });
    } finally {
      server.close();
    }
  }

  it("trusts the extra CA next to the bundled roots, which alone do not trust it", async () => {
    const material = await generateTls();
    expect(await handshake(secureContextTrusting([material.ca]), material)).toBeUndefined();
    expect(await handshake(createSecureContext(), material)).toMatchObject({
      code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    });
  });

  it("trusts a CA that follows bundled roots in NODE_EXTRA_CA_CERTS", async () => {
    const material = await generateTls();
    const file = writePem(`${systemBundle}${material.ca}`);
    const extra = extraCaCertificates(config(), { NODE_EXTRA_CA_CERTS: file }) ?? [];
    expect(await handshake(secureContextTrusting(extra), material)).toBeUndefined();
  });
});
