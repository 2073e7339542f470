import { readFileSync } from "node:fs";
import type { SecureContext } from "node:tls";
import { createSecureContext, rootCertificates } from "node:tls";
import type { BackendConfig, Logger } from "@zerobus/core";

/**
 * The CA certificates (PEM) to trust on top of Node's bundled roots, or `null` when there are none (grpc-js's
 * default then applies). grpc-js ignores `NODE_EXTRA_CA_CERTS`, which Node's own HTTPS honours; corporate
 * proxies and test CAs are usually installed that way, so it is honoured here; a `tls.ca` option is added as
 * well (as the native core adds it to the system roots).
 */
export function extraCaCertificates(config: BackendConfig, env = process.env): string[] | null {
  const extra: string[] = [];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    const pem = readPem(extraFile, config.logger);
    if (pem) extra.push(pem);
  }
  if (config.tls?.ca !== undefined) extra.push(Buffer.from(config.tls.ca).toString("utf8"));
  return extra.length === 0 ? null : extra;
}

/** What Node's `SecureContext` keeps in `context`: the native handle, whose `addCACert` the `ca` option uses. */
interface NativeSecureContext {
  addCACert?(pem: string): void;
}

/**
 * A TLS context trusting Node's bundled roots and `extra`. Passing `ca: [...rootCertificates, ...extra]`
 * makes Node parse every bundled root again (about 30 ms here, on every new channel); adding `extra` to a
 * context made with the defaults reuses the roots Node parsed once. Falls back to the `ca` option where the
 * handle has no `addCACert`.
 */
export function secureContextTrusting(extra: readonly string[]): SecureContext {
  const context = createSecureContext();
  const native = (context as SecureContext & { context?: NativeSecureContext }).context;
  if (typeof native?.addCACert !== "function")
    return createSecureContext({ ca: [...rootCertificates, ...extra] });
  for (const pem of extra) native.addCACert(pem);
  return context;
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
