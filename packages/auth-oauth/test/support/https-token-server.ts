import { once } from "node:events";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { TestTls } from "./test-tls.js";

/** A real HTTPS token endpoint on 127.0.0.1 answering every POST /oidc/v1/token with a fresh token. */
export interface HttpsTokenServer {
  /** `https://127.0.0.1:<port>`, the workspace URL. */
  url: string;
  /** Token requests served so far. */
  requests: number;
  close(): Promise<void>;
}

/** Starts the server; tokens are `proxy-test-token-<n>`. */
export async function startHttpsTokenServer(tls: TestTls): Promise<HttpsTokenServer> {
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (request, response) => {
    request.resume();
    request.on("end", () => {
      if (request.method !== "POST" || request.url !== "/oidc/v1/token") {
        response.writeHead(404).end();
        return;
      }
      state.requests++;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ access_token: `proxy-test-token-${state.requests}`, expires_in: 3600 }));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const state: HttpsTokenServer = {
    url: `https://127.0.0.1:${port}`,
    requests: 0,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
  return state;
}
