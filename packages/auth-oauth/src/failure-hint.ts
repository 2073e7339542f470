/**
 * What to do about a failed token request, when the failure says it (empty otherwise): the endpoint and
 * the workspace URL swapped (a `zerobus` host as the workspace URL, or a server answering HTTP/1.1 with
 * HTTP/2, as a Zerobus endpoint does: undici's "Response does not match the HTTP/1.1 protocol"), a
 * plaintext server reached with TLS, an untrusted certificate. `error` is what `fetch` threw, if anything.
 */
export function failureHint(tokenUrl: string, error?: unknown): string {
  const host = new URL(tokenUrl).host;
  const reasons = causeTexts(error);
  if (new URL(tokenUrl).hostname.toLowerCase().split(".").includes("zerobus")) {
    return `: ${host} is a Zerobus endpoint, not a workspace URL (https://<workspace>.cloud.databricks.com): were the endpoint and the workspace URL swapped?`;
  }
  if (/HPE_INVALID_CONSTANT|does not match the HTTP\/1\.1 protocol/.test(reasons)) {
    return `: ${host} answered in HTTP/2 only, as a Zerobus (gRPC) endpoint does: were the endpoint and the workspace URL swapped?`;
  }
  if (/wrong version number|packet length too long/i.test(reasons)) {
    return ": the server does not speak TLS: use http:// for a local mock (the workspace URL was taken as https://)";
  }
  if (
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|unable to verify the first certificate/.test(
      reasons,
    )
  ) {
    return ": the server's certificate is not trusted: set NODE_EXTRA_CA_CERTS=/path/to/ca.pem before Node starts";
  }
  return "";
}

/** The messages and codes of an error and its causes (bounded: causes can be cyclic). */
function causeTexts(error: unknown): string {
  const texts: string[] = [];
  let current = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    texts.push(current.message, typeof code === "string" ? code : "");
    current = (current as { cause?: unknown }).cause;
  }
  return texts.join("\n");
}
