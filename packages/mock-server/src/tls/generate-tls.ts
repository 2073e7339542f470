import { generateKeyPair, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import type * as Forge from "node-forge";

// node-forge is CommonJS with a computed export object that ESM named imports cannot see.
const forge = createRequire(import.meta.url)("node-forge") as typeof Forge;

/** A test CA and a server certificate signed by it, all PEM. */
export interface MockTlsMaterial {
  /** The CA certificate clients must trust (for Rust clients: point `SSL_CERT_FILE` at it). */
  ca: string;
  /** The server certificate, for `localhost`, `127.0.0.1` and `::1`. */
  cert: string;
  /** The server certificate's private key (PKCS#8). */
  key: string;
}

const generateRsaKeyPair = promisify(generateKeyPair);
const DAY_MS = 86_400_000;

/**
 * Generates a fresh CA and a leaf certificate for the loopback names, signed by that CA. A real CA + leaf
 * pair (not one self-signed leaf) because rustls refuses a self-signed end-entity certificate used as its own
 * trust anchor. Keys come from node:crypto (native, off the main thread); node-forge only builds and signs
 * the certificates, so no `openssl` binary is needed.
 */
export async function generateTls(): Promise<MockTlsMaterial> {
  const [caKeys, leafKeys] = await Promise.all([rsaKeys(), rsaKeys()]);
  const caName = [{ name: "commonName", value: "Zerobus Mock Server Test CA" }];

  const ca = baseCertificate(caKeys.publicKey, caName, caName);
  ca.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const leaf = baseCertificate(leafKeys.publicKey, [{ name: "commonName", value: "localhost" }], caName);
  leaf.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
        { type: 7, ip: "::1" },
      ],
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  leaf.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    ca: forge.pki.certificateToPem(ca),
    cert: forge.pki.certificateToPem(leaf),
    key: leafKeys.privatePem,
  };
}

async function rsaKeys(): Promise<{
  publicKey: Forge.pki.PublicKey;
  privateKey: Forge.pki.rsa.PrivateKey;
  privatePem: string;
}> {
  const pair = await generateRsaKeyPair("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(pair.publicKey),
    privateKey: forge.pki.privateKeyFromPem(pair.privateKey),
    privatePem: pair.privateKey,
  };
}

function baseCertificate(
  publicKey: Forge.pki.PublicKey,
  subject: Forge.pki.CertificateField[],
  issuer: Forge.pki.CertificateField[],
): Forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial (high bit clear) of 16 random bytes: RFC 5280 and rustls reject negative ones.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString("hex");
  // Backdated an hour so a client whose clock is slightly behind still accepts it.
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 30 * DAY_MS);
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}
