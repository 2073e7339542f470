import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import type { BackendConfig } from "@zerobus/core";
import { silentLogger } from "@zerobus/core";
import { describe, expect, it } from "vitest";
import { trustedRoots } from "./trusted-roots.js";

const testCa = "-----BEGIN CERTIFICATE-----\nTESTCA\n-----END CERTIFICATE-----\n";
const config = (extra: Partial<BackendConfig> = {}): BackendConfig => ({
  endpoint: "https://1.zerobus.example.com",
  allowInsecure: false,
  workspaceId: "1",
  logger: silentLogger,
  ...extra,
});

describe("trustedRoots", () => {
  it("leaves grpc-js's default when nothing extra is configured", () => {
    expect(trustedRoots(config(), {})).toBeNull();
  });

  it("adds NODE_EXTRA_CA_CERTS to the bundled roots", () => {
    const file = join(mkdtempSync(join(tmpdir(), "zb-ca-")), "extra.pem");
    writeFileSync(file, testCa);
    const roots = trustedRoots(config(), { NODE_EXTRA_CA_CERTS: file })?.toString("utf8") ?? "";
    expect(roots).toContain("TESTCA");
    expect(roots).toContain(rootCertificates[0]);
  });

  it("adds the tls.ca option too", () => {
    const roots = trustedRoots(config({ tls: { ca: testCa } }), {})?.toString("utf8") ?? "";
    expect(roots).toContain("TESTCA");
    expect(roots).toContain(rootCertificates[0]);
  });

  it("warns about an unreadable NODE_EXTRA_CA_CERTS and goes on without it", () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    expect(trustedRoots(config({ logger }), { NODE_EXTRA_CA_CERTS: "/nonexistent/ca.pem" })).toBeNull();
    expect(warnings).toHaveLength(1);
  });
});
