import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createProxy } from "proxy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness, TagFilter } from "../harness.js";

const proxyVariables = ["grpc_proxy", "https_proxy", "http_proxy", "no_grpc_proxy", "no_proxy"] as const;

/** Runs `fn` with the given proxy environment, restoring the previous one afterwards. */
async function withEnvironment(
  env: Partial<Record<(typeof proxyVariables)[number], string>>,
  fn: () => Promise<void>,
) {
  const saved = Object.fromEntries(proxyVariables.map((name) => [name, process.env[name]]));
  for (const name of proxyVariables) delete process.env[name];
  Object.assign(process.env, env);
  try {
    await fn();
  } finally {
    for (const name of proxyVariables) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** Proxy environment variables (grpc_proxy, https_proxy, no_proxy). */
export function proxyScenarios(h: Harness, on: TagFilter): void {
  if (on("proxy"))
    describe("proxy", () => {
      let proxy: Server;
      const tunnels: string[] = [];
      /** Every connection to the proxy: `closeAllConnections` does not reach the CONNECT tunnels. */
      const sockets = new Set<Socket>();
      beforeAll(async () => {
        proxy = createProxy(createServer());
        proxy.on("connection", (socket: Socket) => {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
        });
        proxy.on("connect", (request) => tunnels.push(String(request.url)));
        await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      });
      afterAll(async () => {
        // The streams were closed after each test; a tunnel their client still holds is cut after a grace
        // (and reported), so that closing the proxy does not wait for it.
        const deadline = Date.now() + 5_000;
        while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        if (sockets.size > 0) {
          // Which backend: the test file's name is the same for both, their declared gaps are not.
          const gaps = Object.keys(h.capabilities).join(", ") || "none";
          console.warn(
            `proxy: ${sockets.size} tunnel(s) still open 5 s after the tests (declared gaps: ${gaps})`,
          );
        }
        for (const socket of sockets) socket.destroy();
        proxy.closeAllConnections?.();
        await new Promise((resolve) => proxy.close(resolve));
      });
      const proxyUrl = () => `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const target = () => new URL(h.server.endpoint).host;

      it("tunnels through grpc_proxy with HTTP CONNECT", async () => {
        tunnels.length = 0;
        await withEnvironment({ grpc_proxy: proxyUrl() }, async () => {
          const table = h.table();
          const stream = await h.open(table);
          await stream.waitForOffset(await stream.ingestRecord("{}"));
          h.server.table(table).assertRecords(["{}"]);
        });
        expect(tunnels).toContain(target());
      });

      it("honours https_proxy when grpc_proxy is not set", async () => {
        tunnels.length = 0;
        await withEnvironment({ https_proxy: proxyUrl() }, async () => {
          const stream = await h.open(h.table());
          await stream.waitForOffset(await stream.ingestRecord("{}"));
        });
        expect(tunnels).toContain(target());
      });

      it("bypasses the proxy for hosts in no_proxy", async () => {
        tunnels.length = 0;
        await withEnvironment({ grpc_proxy: proxyUrl(), no_proxy: "localhost,127.0.0.1" }, async () => {
          const stream = await h.open(h.table());
          await stream.waitForOffset(await stream.ingestRecord("{}"));
        });
        expect(tunnels).toEqual([]);
      });
    });
}
