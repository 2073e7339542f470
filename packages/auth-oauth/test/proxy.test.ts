import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConnectProxy } from "./support/connect-proxy.js";
import { startConnectProxy } from "./support/connect-proxy.js";
import type { HttpsTokenServer } from "./support/https-token-server.js";
import { startHttpsTokenServer } from "./support/https-token-server.js";
import { runChild } from "./support/run-child.js";
import { createTestTls } from "./support/test-tls.js";

// Real sockets only: a real HTTP CONNECT proxy in front of a real HTTPS token endpoint whose certificate
// is signed by a throwaway CA, trusted through NODE_EXTRA_CA_CERTS (msw cannot see a proxy, and Node
// reads NODE_EXTRA_CA_CERTS only at start, hence the child processes).
let tokenServer: HttpsTokenServer;
let directProxy: ConnectProxy;
let bypassedProxy: ConnectProxy;
let lowercaseProxy: ConnectProxy;
let untrustedProxy: ConnectProxy;
let loadingProxy: ConnectProxy;
let dir: string;
let caFile: string;

beforeAll(async () => {
  const tls = await createTestTls();
  dir = await mkdtemp(join(tmpdir(), "zerobus-auth-oauth-"));
  caFile = join(dir, "ca.pem");
  await writeFile(caFile, tls.caPem);
  tokenServer = await startHttpsTokenServer(tls);
  [directProxy, bypassedProxy, lowercaseProxy, untrustedProxy, loadingProxy] = await Promise.all([
    startConnectProxy(),
    startConnectProxy(),
    startConnectProxy(),
    startConnectProxy(),
    startConnectProxy(),
  ]);
});

afterAll(async () => {
  await Promise.all(
    [tokenServer, directProxy, bypassedProxy, lowercaseProxy, untrustedProxy, loadingProxy].map((s) =>
      s?.close(),
    ),
  );
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

// Each case starts a Node process; allow for a loaded machine.
describe("token requests through a proxy, with NODE_EXTRA_CA_CERTS", { timeout: 120_000 }, () => {
  it("tunnels through HTTPS_PROXY, bypasses it for NO_PROXY, honours https_proxy, trusts the extra CA", async () => {
    const target = new URL(tokenServer.url).host;
    const results = await runChild(
      [
        { workspaceUrl: tokenServer.url, env: { HTTPS_PROXY: directProxy.url } },
        {
          workspaceUrl: tokenServer.url,
          env: { HTTPS_PROXY: bypassedProxy.url, NO_PROXY: "localhost,127.0.0.1" },
        },
        { workspaceUrl: tokenServer.url, env: { https_proxy: lowercaseProxy.url } },
        { workspaceUrl: tokenServer.url, env: {} },
      ],
      caFile,
    );
    expect(results).toEqual([
      {
        headers: {
          authorization: "Bearer proxy-test-token-1",
          "x-databricks-zerobus-table-name": "main.default.events",
        },
      },
      {
        headers: {
          authorization: "Bearer proxy-test-token-2",
          "x-databricks-zerobus-table-name": "main.default.events",
        },
      },
      {
        headers: {
          authorization: "Bearer proxy-test-token-3",
          "x-databricks-zerobus-table-name": "main.default.events",
        },
      },
      {
        headers: {
          authorization: "Bearer proxy-test-token-4",
          "x-databricks-zerobus-table-name": "main.default.events",
        },
      },
    ]);
    expect(directProxy.connects).toEqual([target]);
    expect(bypassedProxy.connects).toEqual([]);
    expect(lowercaseProxy.connects).toEqual([target]);
    expect(tokenServer.requests).toBe(4);
  });

  it("fails as a retryable unavailable naming the TLS problem when the CA is not trusted", async () => {
    const before = tokenServer.requests;
    const results = await runChild([
      { workspaceUrl: tokenServer.url, env: {} },
      { workspaceUrl: tokenServer.url, env: { HTTPS_PROXY: untrustedProxy.url } },
    ]);
    for (const result of results) {
      expect(result.error?.code).toBe("unavailable");
      expect(result.error?.message).toMatch(/certificate|CERT/);
      expect(result.error?.message).toMatch(/not trusted: set NODE_EXTRA_CA_CERTS=/);
    }
    expect(untrustedProxy.connects).toEqual([new URL(tokenServer.url).host]);
    expect(tokenServer.requests).toBe(before);
  });

  it("loads undici only for a request through a proxy, not on import nor for a direct one", async () => {
    const log = join(dir, "loads.txt");
    const results = await runChild(
      [
        { workspaceUrl: tokenServer.url, env: {} },
        { workspaceUrl: tokenServer.url, env: { HTTPS_PROXY: loadingProxy.url } },
      ],
      caFile,
      log,
    );
    expect(results.map((result) => Object.keys(result))).toEqual([["headers"], ["headers"]]);
    const loads = await readFile(log, "utf8");
    const [imported = "", direct = "", proxied = ""] = loads.split(/^--- .*\n/m);
    expect(imported).toMatch(/auth-oauth\/src\/index\.ts/);
    expect(imported).not.toMatch(/undici/);
    expect(direct).not.toMatch(/undici/);
    expect(proxied).toMatch(/\/undici@[^/]+\/node_modules\/undici\//);
    expect(loadingProxy.connects).toEqual([new URL(tokenServer.url).host]);
  });
});
