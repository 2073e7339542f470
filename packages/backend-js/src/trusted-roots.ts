import { readFileSync } from "node:fs";
import type { SecureContext } from "node:tls";
import { createSecureContext, rootCertificates } from "node:tls";
import type { BackendConfig, Logger } from "@zerobus/core";

/**
 * The CA certificates (PEM) to trust on top of Node's bundled roots, or `null` when none are configured
 * (grpc-js's default then applies). grpc-js ignores `NODE_EXTRA_CA_CERTS`, which Node's own HTTPS honours;
 * corporate proxies and test CAs are usually installed that way, so it is honoured here; a `tls.ca` option
 * is added as well (as the native core adds it to the system roots). Certificates of `NODE_EXTRA_CA_CERTS`
 * that Node bundles already are left out ({@link withoutBundledRoots}); the list is empty when nothing else
 * is left, and a context with Node's roots is made all the same.
 */
export function extraCaCertificates(config: BackendConfig, env = process.env): string[] | null {
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  const pem = extraFile ? readPem(extraFile, config.logger) || undefined : undefined;
  const ca = config.tls?.ca === undefined ? undefined : Buffer.from(config.tls.ca).toString("utf8");
  if (pem === undefined && ca === undefined) return null;
  const extra: string[] = [];
  const added = pem === undefined ? "" : withoutBundledRoots(pem, env);
  if (added !== "") extra.push(added);
  if (ca !== undefined) extra.push(ca);
  return extra;
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*)-----END CERTIFICATE-----\s*/g;
const WHITESPACE = /\s+/g;
let bundledRoots: ReadonlySet<string> | undefined;

/**
 * `pem` without the certificates that are already among Node's bundled roots (compared by their base64,
 * whatever the line length), or `""` when no other PEM block is left. A `NODE_EXTRA_CA_CERTS` that names the
 * system's bundle (`/etc/ssl/certs/ca-certificates.crt`, common where a corporate CA is installed) holds
 * mostly the same roots as Node: each certificate given to a context is parsed again, about 0.2 ms apiece
 * (30 ms for such a bundle on every new channel), for nothing. Everything else in the file is kept as it
 * is. Not under `--use-openssl-ca`, where a context starts from OpenSSL's store instead of the bundled roots.
 */
export function withoutBundledRoots(pem: string, env = process.env): string {
  const options = `${process.execArgv.join(" ")} ${env.NODE_OPTIONS ?? ""}`;
  if (options.includes("--use-openssl-ca")) return pem;
  bundledRoots ??= new Set(rootCertificates.map((root) => base64Of(root)));
  const roots = bundledRoots;
  const kept = pem.replace(CERTIFICATE, (block, body: string) =>
    roots.has(body.replace(WHITESPACE, "")) ? "" : block,
  );
  return kept.includes("-----BEGIN") ? kept : "";
}

function base64Of(pem: string): string {
  return pem
    .replace("-----BEGIN CERTIFICATE-----", "")
    .replace("-----END CERTIFICATE-----", "")
    .replace(WHITESPACE, "");
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
