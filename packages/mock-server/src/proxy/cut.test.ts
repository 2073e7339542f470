import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectPeer, pattern, startPeerServer } from "../test-support/test-peers.js";
import { createFaultProxy } from "./create-fault-proxy.js";
import type { FaultProxy } from "./fault-proxy.js";

let target: Awaited<ReturnType<typeof startPeerServer>>;
let proxy: FaultProxy;

beforeEach(async () => {
  target = await startPeerServer({ echo: true });
  proxy = await createFaultProxy({ target: target.address });
});
afterEach(async () => {
  await proxy.close();
  await target.close();
});

const types = (index: number) => proxy.connections[index]?.events.map((event) => event.type);

describe("a cut", () => {
  it("with FIN after N bytes up forwards exactly those bytes, then closes both sides cleanly", async () => {
    proxy.plan({ cut: { afterBytes: 1000, direction: "up", how: "fin" } });
    const client = await connectPeer(proxy.address);
    client.socket.write(pattern(10_000));
    const server = await target.peer(0);
    await server.ended;
    expect(server.received).toEqual(pattern(1000));
    expect(await client.gone).toBe("end");
    expect(await server.closed).toBeUndefined();
    await proxy.waitFor(() => proxy.connections[0]?.open === false);
    expect(proxy.connections[0]).toMatchObject({ index: 0, bytesUp: 1000 });
    expect(types(0)).toEqual(["opened", "cut", "closed"]);
    expect(proxy.connections[0]?.events[1]).toMatchObject({ how: "fin", direction: "up", afterBytes: 1000 });
    expect(proxy.connections[0]?.events[2]).toMatchObject({ by: "proxy" });
  });

  it("with RST after N bytes down forwards those bytes, then resets both sides", async () => {
    proxy.plan({ cut: { afterBytes: 3000, direction: "down", how: "reset" } });
    const client = await connectPeer(proxy.address);
    client.socket.write(pattern(5000));
    expect(["end", "ECONNRESET"]).toContain(await client.gone);
    // An RST lets the kernel drop what the application had not read yet: a prefix arrives, never more.
    expect(pattern(3000).subarray(0, client.received.length)).toEqual(client.received);
    expect(await (await target.peer(0)).closed).toBe("ECONNRESET");
    await proxy.waitFor(() => proxy.connections[0]?.open === false);
    expect(proxy.connections[0]?.bytesDown).toBe(3000);
    expect(proxy.connections[0]?.events[1]).toMatchObject({
      how: "reset",
      direction: "down",
      afterBytes: 3000,
    });
  });

  it('after N bytes "either" counts both directions together (RST by default)', async () => {
    proxy.plan({ cut: { afterBytes: 1500 } });
    const client = await connectPeer(proxy.address);
    client.socket.write(pattern(1000));
    const server = await target.peer(0);
    expect(await server.closed).toBe("ECONNRESET");
    expect(server.received).toEqual(pattern(1000));
    expect(["end", "ECONNRESET"]).toContain(await client.gone);
    expect(pattern(500).subarray(0, client.received.length)).toEqual(client.received);
    await proxy.waitFor(() => proxy.connections[0]?.open === false);
    expect(proxy.connections[0]).toMatchObject({ bytesUp: 1000, bytesDown: 500 });
    expect(proxy.connections[0]?.events[1]).toMatchObject({
      how: "reset",
      direction: "either",
      afterBytes: 1500,
    });
  });

  it("after 0 bytes connects to the target, then cuts before anything crosses", async () => {
    proxy.plan({ cut: { afterBytes: 0, how: "fin" } });
    const client = await connectPeer(proxy.address);
    client.socket.write("never forwarded");
    expect(await client.gone).toBe("end");
    const server = await target.peer(0);
    await server.ended;
    expect(server.received.length).toBe(0);
    expect(proxy.connections[0]).toMatchObject({ bytesUp: 0, bytesDown: 0 });
  });

  it("cutAll cuts every open connection now and returns how many", async () => {
    const first = await connectPeer(proxy.address);
    const second = await connectPeer(proxy.address);
    first.socket.write("ping");
    await first.waitForBytes(4);
    await proxy.waitFor(() => proxy.connections.length === 2);
    expect(proxy.cutAll({ how: "fin" })).toBe(2);
    expect(await Promise.all([first.gone, second.gone])).toEqual(["end", "end"]);
    expect(proxy.cutAll()).toBe(0);
    expect(proxy.connections[0]?.events[1]).toMatchObject({ how: "fin", direction: "either", afterBytes: 8 });
    expect(() => proxy.cutAll({ how: "rst" as "reset" })).toThrow(TypeError);
  });
});

describe("a connection that is not cut", () => {
  it("forwards both ways faithfully and records who closed it", async () => {
    const client = await connectPeer(proxy.address);
    client.socket.write(pattern(200_000));
    expect((await client.waitForBytes(200_000)).equals(pattern(200_000))).toBe(true);
    client.socket.end();
    await client.ended;
    await proxy.waitFor(() => proxy.connections[0]?.open === false);
    expect(proxy.connections[0]).toMatchObject({ bytesUp: 200_000, bytesDown: 200_000, plan: {} });
    expect(types(0)).toEqual(["opened", "closed"]);
    expect(proxy.connections[0]?.events[1]).toMatchObject({ by: "client" });
  });

  it("passes a reset by the server on to the client", async () => {
    const client = await connectPeer(proxy.address);
    (await target.peer(0)).socket.resetAndDestroy();
    expect(await client.gone).toBe("ECONNRESET");
    await proxy.waitFor(() => proxy.connections[0]?.open === false);
    expect(proxy.connections[0]?.events.at(-1)).toMatchObject({ by: "server", error: "ECONNRESET" });
  });
});
