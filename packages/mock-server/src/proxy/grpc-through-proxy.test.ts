import { afterEach, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { GrpcStatusCode } from "../status.js";
import { openJsonStream } from "../test-support/test-stream.js";
import { createFaultProxy } from "./create-fault-proxy.js";
import type { FaultProxy } from "./fault-proxy.js";

const TABLE = "main.default.events";
let server: MockServer;
let proxy: FaultProxy;

// A proxy per test: grpc-js shares a connection between clients of the same address, and each test
// needs a connection of its own to give it a plan.
async function start(options: { tls?: boolean } = {}): Promise<void> {
  server = await createMockServer(options);
  proxy = await createFaultProxy({ target: server.endpoint });
}
afterEach(async () => {
  await proxy.close();
  await server.close();
});

/** A created JSON stream whose HTTP/2 connection goes through the proxy. */
const openThroughProxy = () =>
  openJsonStream({ address: proxy.address, headers: (table) => server.headers(table), ca: server.ca }, TABLE);

describe("gRPC through the fault proxy", () => {
  it("a cut mid-stream ends the call with UNAVAILABLE", async () => {
    await start();
    proxy.plan({ cut: { afterBytes: 20_000, direction: "up" } });
    const stream = await openThroughProxy();
    const record = JSON.stringify({ pad: "x".repeat(1000) });
    for (let offset = 0n; offset < 100n; offset++) stream.json(offset, record);
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    stream.close();
    const received = server.table(TABLE).recordCount;
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(100);
    expect(proxy.connections[0]).toMatchObject({ bytesUp: 20_000 });
    await server.table(TABLE).connections[0]?.ended;
    expect(server.table(TABLE).connections[0]?.end?.by).not.toBe("server");
  });

  it("cutAll ends a live call; the next call connects again", async () => {
    await start();
    const first = await openThroughProxy();
    first.json(0n, '{"a":1}');
    expect(await first.acks(1)).toEqual([0n]);
    expect(proxy.cutAll()).toBe(1);
    expect((await first.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    first.close();
    const second = await openThroughProxy();
    second.json(0n, '{"a":2}');
    expect(await second.acks(1)).toEqual([0n]);
    second.close();
    expect(proxy.connections).toHaveLength(2);
  });

  it("a stall holds requests and acks over HTTP/2, then releases them in order", async () => {
    await start();
    const stream = await openThroughProxy();
    proxy.stallAll(Infinity);
    for (let offset = 0n; offset < 3n; offset++) stream.json(offset, `{"n":${offset}}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.table(TABLE).recordCount).toBe(0);
    expect(proxy.connections[0]?.open).toBe(true);
    expect(proxy.resumeAll()).toBe(1);
    expect(await stream.acks(3)).toEqual([0n, 1n, 2n]);
    server.table(TABLE).assertRecords(['{"n":0}', '{"n":1}', '{"n":2}']);
    stream.end();
    expect((await stream.status).code).toBe(GrpcStatusCode.OK);
    stream.close();
  });

  it("passes TLS through untouched: an https target gives an https endpoint", async () => {
    await start({ tls: true });
    expect(proxy.endpoint).toBe(`https://127.0.0.1:${proxy.port}`);
    const stream = await openThroughProxy();
    stream.json(0n, '{"secure":true}');
    expect(await stream.acks(1)).toEqual([0n]);
    stream.close();
    expect(proxy.connections[0]?.bytesUp).toBeGreaterThan(0);
  });
});
