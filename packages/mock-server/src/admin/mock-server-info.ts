import type { MockServer } from "../mock-server.js";

/**
 * Everything a client in any language needs to reach a mock server: what `zerobus-mock --json` prints and
 * `GET /info` answers. `clientSecret` is the mock's own test credential (the token endpoint accepts it and
 * nothing real does), given out on purpose so a test can run the OAuth flow.
 */
export interface MockServerInfo {
  /** The Zerobus endpoint for SDKs: `http://127.0.0.1:<port>`, or `https://localhost:<port>` with TLS. */
  endpoint: string;
  /** `host:port` of the gRPC server, the target a grpc client takes. */
  address: string;
  workspaceUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** With TLS: the CA PEM clients must trust. */
  ca?: string;
  /** With TLS, when it was written to a file (the CLI does): its path, for `SSL_CERT_FILE`. */
  caPath?: string;
  /** The admin endpoint, when one runs. */
  adminUrl?: string;
  /** The process serving it. */
  pid: number;
}

/** Collects {@link MockServerInfo} from a server and what runs beside it. */
export function describeMockServer(
  server: MockServer,
  extras: { adminUrl?: string | undefined; caPath?: string | undefined } = {},
): MockServerInfo {
  return {
    endpoint: server.endpoint,
    address: server.address,
    workspaceUrl: server.workspaceUrl,
    tokenUrl: server.tokenUrl,
    clientId: server.credentials.clientId,
    clientSecret: server.credentials.clientSecret,
    ...(server.ca === undefined ? {} : { ca: server.ca }),
    ...(extras.caPath === undefined ? {} : { caPath: extras.caPath }),
    ...(extras.adminUrl === undefined ? {} : { adminUrl: extras.adminUrl }),
    pid: process.pid,
  };
}
