import type { MockServerInfo } from "../admin/mock-server-info.js";

/** What `zerobus-mock` prints without `--json`: one labelled line per address, for a person to read. */
export function formatInfoText(info: MockServerInfo): string {
  return [
    "zerobus-mock is running",
    `endpoint: ${info.endpoint}`,
    `workspace URL: ${info.workspaceUrl}`,
    `token URL: ${info.tokenUrl}`,
    `client id: ${info.clientId}`,
    // The mock's own test credential, printed so a person can configure a client; no real system takes it.
    `client secret: ${info.clientSecret}`,
    ...(info.adminUrl ? [`admin: ${info.adminUrl} (GET / lists the routes; no authentication)`] : []),
    ...(info.caPath ? [`CA: ${info.caPath}`, `(Rust clients: SSL_CERT_FILE=${info.caPath})`] : []),
    "Ctrl-C to stop",
    "",
  ].join("\n");
}
