import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import type { BackendConfig, Logger } from "@zerobus/core";

/**
 * The CA certificates (PEM) the gRPC connection trusts, or `null` for grpc-js's default (Node's bundled
 * roots). grpc-js ignores `NODE_EXTRA_CA_CERTS`, which Node's own HTTPS honours; corporate proxies and test
 * CAs are usually installed that way, so it is honoured here too, on top of the bundled roots. A `tls.ca`
 * option is added to them as well (as the native core adds it to the system roots).
 */
export function trustedRoots(config: BackendConfig, env = process.env): Buffer | null {
  const extra: string[] = [];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    const pem = readPem(extraFile, config.logger);
    if (pem) extra.push(pem);
  }
  if (config.tls?.ca !== undefined) extra.push(Buffer.from(config.tls.ca).toString("utf8"));
  if (extra.length === 0) return null;
  return Buffer.from([...rootCertificates, ...extra].join("\n"));
}

function readPem(path: string, logger: Logger): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; do the same.
    logger.warn("NODE_EXTRA_CA_CERTS could not be read; ignoring it", { path, error: String(error) });
    return undefined;
  }
}
