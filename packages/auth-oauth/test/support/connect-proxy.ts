import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createProxy } from "proxy";

/** A real HTTP proxy (the `proxy` package) on 127.0.0.1 that records every CONNECT target. */
export interface ConnectProxy {
  /** `http://127.0.0.1:<port>`, a value for `HTTPS_PROXY`. */
  url: string;
  /** `host:port` of each CONNECT tunnel opened through the proxy. */
  connects: string[];
  close(): Promise<void>;
}

/** Starts a proxy. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const server = createProxy(createServer());
  const connects: string[] = [];
  server.on("connect", (request: { url?: string }) => connects.push(request.url ?? ""));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
