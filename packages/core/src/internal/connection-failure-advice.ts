/** What a failure's explanation needs to know of the endpoint, as the user gave it. */
export interface EndpointFacts {
  /** The endpoint as configured (`BackendConfig.endpoint`). */
  readonly given: string;
  /** Whether it was used with TLS (`https://`, or no scheme). */
  readonly secure: boolean;
}

/** What differs between the backends in the advice: how the process can be told to trust another CA. */
export interface TrustAdvice {
  /**
   * The environment variable, besides `tls: { ca }`, that makes this backend trust a CA, as the advice
   * words it, e.g. `NODE_EXTRA_CA_CERTS=/path/to/ca.pem before Node starts`.
   */
  readonly caVariable: string;
}

/** For backend-js: Node adds `NODE_EXTRA_CA_CERTS` to its bundled roots (read once, at start-up). */
export const nodeTrustAdvice: TrustAdvice = {
  caVariable: "NODE_EXTRA_CA_CERTS=/path/to/ca.pem before Node starts",
};

/**
 * For backend-native: the Rust core's roots come from rustls-native-certs, which reads `SSL_CERT_FILE`
 * *instead of* the system store (and never reads `NODE_EXTRA_CA_CERTS`), so the file must hold every root.
 */
export const rustlsTrustAdvice: TrustAdvice = {
  caVariable: "SSL_CERT_FILE=/path/to/bundle.pem, a bundle that replaces the system roots, so include them",
};

/**
 * `details` followed, when it names a failure the user can fix, by the fix: a plaintext server reached
 * with TLS, a certificate not trusted, an endpoint that does not speak gRPC (the workspace URL given as the
 * endpoint). Knows grpc-js's/OpenSSL's wording and the native core's (rustls, hyper), so both backends
 * share it; `trust` words the one backend-specific fix.
 *
 * @example
 * ```ts
 * explainConnectionFailure("invalid peer certificate: UnknownIssuer",
 *   { given: "https://127.0.0.1:50051", secure: true }, rustlsTrustAdvice);
 * // "invalid peer certificate: UnknownIssuer: the server's certificate is not trusted: pass its CA as tls: { ca } …"
 * ```
 */
export function explainConnectionFailure(
  details: string,
  endpoint: EndpointFacts,
  trust: TrustAdvice,
): string {
  const hint = hintFor(details, endpoint, trust);
  return hint === undefined ? details : `${details}: ${hint}`;
}

function hintFor(details: string, endpoint: EndpointFacts, trust: TrustAdvice): string | undefined {
  const { given, secure } = endpoint;
  // OpenSSL's answer (rustls's, for the native core) when the server's first bytes are not a TLS record.
  if (
    secure &&
    /wrong version number|packet length too long|corrupt message of type InvalidContentType/i.test(details)
  ) {
    const assumed = hasScheme(given) ? "" : ` (${given} has no scheme, so it was taken as https://)`;
    return `the server does not speak TLS${assumed}: use http:// with allowInsecure for a local mock`;
  }
  // The chain did not lead to a trusted root (as opposed to, say, a host name mismatch).
  if (
    /unable to (verify the first|get (local )?issuer) certificate|self[- ]signed certificate|certificate (chain|signature)|invalid peer certificate: UnknownIssuer/i.test(
      details,
    )
  ) {
    return `the server's certificate is not trusted: pass its CA as tls: { ca } (or set ${trust.caVariable}), e.g. the mock server's ca`;
  }
  if (looksLikeWorkspaceUrl(given)) {
    return `${given} looks like a workspace URL, not a Zerobus endpoint (https://<workspace-id>.zerobus.<region>.cloud.databricks.com): were the endpoint and the workspace URL swapped?`;
  }
  // An HTTP/1.1 server (such as a workspace's token endpoint) answering the HTTP/2 preface: grpc-js's
  // wording, then hyper's.
  if (
    /^No connection established\. Last error: Protocol error\b|^h2 protocol error: http2 error$/.test(details)
  ) {
    return `${given} does not speak HTTP/2 (gRPC): is it the workspace URL rather than the Zerobus endpoint? (were they swapped?)`;
  }
  return undefined;
}

function hasScheme(endpoint: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint.trim());
}

/**
 * A Databricks workspace host (`<name>.cloud.databricks.com`, `adb-<id>.<n>.azuredatabricks.net`,
 * `<id>.<n>.gcp.databricks.com`) without the `zerobus` label every Zerobus endpoint has.
 */
export function looksLikeWorkspaceUrl(endpoint: string): boolean {
  let host: string;
  try {
    host = new URL(
      hasScheme(endpoint) ? endpoint.trim() : `https://${endpoint.trim()}`,
    ).hostname.toLowerCase();
  } catch {
    return false;
  }
  const labels = host.split(".");
  return (
    !labels.includes("zerobus") &&
    /(^|\.)(cloud\.databricks\.com|gcp\.databricks\.com|azuredatabricks\.net|databricks\.azure\.cn)$/.test(
      host,
    )
  );
}
