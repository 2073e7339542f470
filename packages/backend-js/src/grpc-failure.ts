import type { ZerobusError } from "@zerobus/core";
import { errorFromGrpcStatus } from "@zerobus/core";

/** What a failure's explanation needs to know of the endpoint, as the user gave it. */
export interface EndpointFacts {
  /** The endpoint as configured (`BackendConfig.endpoint`). */
  readonly given: string;
  /** Whether it was used with TLS (`https://`, or no scheme). */
  readonly secure: boolean;
}

/**
 * The error for a gRPC status, as core's `errorFromGrpcStatus` builds it, with grpc-js's empty trailer
 * trimmed and, for the failures a user can fix, what to do: a plaintext server reached with TLS, a
 * certificate not trusted, an endpoint that does not speak gRPC (the workspace URL given as the endpoint).
 * The code, `retryable` and `grpcCode` stay those of the status. {@link explainDetails} also knows the
 * native core's (rustls, hyper) wording of the same failures, so that backend can share it.
 */
export function errorFromGrpcFailure(
  status: number,
  details: string,
  endpoint: EndpointFacts,
  cause?: unknown,
): ZerobusError {
  return errorFromGrpcStatus(status, explainDetails(details, endpoint), cause);
}

/** `details` trimmed and, when it names a failure the user can fix, followed by the fix. */
export function explainDetails(details: string, endpoint: EndpointFacts): string {
  // grpc-js ends "No connection established" with ". Resolution note: " even when it has no note.
  const trimmed = details.replace(/\s*\.?\s*Resolution note:\s*$/, "").trim();
  const hint = hintFor(trimmed, endpoint);
  return hint === undefined ? trimmed : `${trimmed}: ${hint}`;
}

function hintFor(details: string, endpoint: EndpointFacts): string | undefined {
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
    return "the server's certificate is not trusted: pass its CA as tls: { ca } (or set NODE_EXTRA_CA_CERTS=/path/to/ca.pem before Node starts), e.g. the mock server's ca";
  }
  if (looksLikeWorkspaceUrl(given)) {
    return `${given} looks like a workspace URL, not a Zerobus endpoint (https://<workspace-id>.zerobus.<region>.cloud.databricks.com): were the endpoint and the workspace URL swapped?`;
  }
  // An HTTP/1.1 server (such as a workspace's token endpoint) answering grpc-js's HTTP/2 preface.
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
