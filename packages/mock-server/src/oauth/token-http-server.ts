import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TokenEndpoint } from "./token-endpoint.js";
import { TOKEN_PATH } from "./token-http-path.js";

/** A running HTTP server for the token endpoint. */
export interface TokenHttpServer {
  /** `http://127.0.0.1:<port>`: the workspace URL clients get tokens from. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `endpoint` over real HTTP on `host:port` (port 0 picks a free one); other paths get 404. */
export async function startTokenHttpServer(
  endpoint: TokenEndpoint,
  host: string,
  port: number,
): Promise<TokenHttpServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://mock").pathname;
    if (path !== TOKEN_PATH) {
      response.writeHead(404, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "not_found", error_description: `no route for ${path}` }));
      return;
    }
    readBody(request)
      .then((body) => endpoint.handle({ method: request.method ?? "GET", headers: headersOf(request), body }))
      .then((answer) => {
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      })
      .catch(() => {
        // The client went away mid-request (or sent a broken body): nothing left to answer.
        response.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function headersOf(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}
