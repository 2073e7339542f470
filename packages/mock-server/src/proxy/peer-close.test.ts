import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connectPeer, pattern, startPeerServer } from "../test-support/test-peers.js";
import { createFaultProxy } from "./create-fault-proxy.js";
import type { FaultProxy } from "./fault-proxy.js";

let target: Awaited<ReturnType<typeof startPeerServer>>;
let proxy: FaultProxy;

beforeEach(async () => {
  target = await startPeerServer();
  proxy = await createFaultProxy({ target: target.address });
});
afterEach(async () => {
  await proxy.close();
  await target.close();
});

const closedEvents = (index: number) =>
  proxy.connections[index]?.events.filter((event) => event.type === "closed");
const closedAt = (index: number) =>
  proxy.waitFor((p) => p.connections[index]?.open === false, { timeoutMs: 2000 });
// After an RST the receiving side may see an end or ECONNRESET (test-peers.ts); either way it saw the close.
const GONE = ["end", "ECONNRESET"];

// The stalls below fire inside the first chunk, so its remainder waits in the proxy with more behind it. When
// the stall ends, the first write to a peer that closed meanwhile draws its RST and the next one fails, in
// the same turn as the FIN from that peer goes to the other side: the soak's "proxy connections left open".
describe("a peer that closes during a stall", () => {
  it("the server (FIN): after the stall the client sees the close, and it is logged closed once", async () => {
    proxy.plan({ stall: { ms: 200, afterBytes: 100, direction: "up" } });
    const client = await connectPeer(proxy.address);
    client.socket.write(pattern(300_000));
    const server = await target.peer(0);
    await server.waitForBytes(100);
    server.socket.destroy();
    expect(GONE).toContain(await client.gone);
    await closedAt(0);
    expect(closedEvents(0)).toEqual([expect.objectContaining({ by: "server" })]);
    const types = proxy.connections[0]?.events.map((event) => event.type);
    expect(types).toEqual(["opened", "stalled", "resumed", "closed"]);
  });

  it("the server (RST): the client sees the reset, and it is logged closed once", async () => {
    proxy.plan({ stall: { ms: 200, afterBytes: 100, direction: "up" } });
    const client = await connectPeer(proxy.address);
    client.socket.write(pattern(300_000));
    const server = await target.peer(0);
    await server.waitForBytes(100);
    server.socket.resetAndDestroy();
    expect(GONE).toContain(await client.gone);
    await closedAt(0);
    expect(closedEvents(0)).toEqual([expect.objectContaining({ by: "server", error: "ECONNRESET" })]);
  });

  it("the client (FIN) while the server sends: the server sees the end, and it is logged closed once", async () => {
    proxy.plan({ stall: { ms: 200, afterBytes: 100, direction: "down" } });
    const client = await connectPeer(proxy.address);
    const server = await target.peer(0);
    server.socket.write(pattern(300_000));
    await client.waitForBytes(100);
    client.socket.destroy();
    expect(GONE).toContain(await server.gone);
    await closedAt(0);
    expect(closedEvents(0)).toEqual([expect.objectContaining({ by: "client" })]);
  });
});

describe("a half-close", () => {
  it("is forwarded both ways in turn, and the connection is logged closed once both ended", async () => {
    const client = await connectPeer(proxy.address);
    const server = await target.peer(0);
    client.socket.end("request");
    await server.ended;
    server.socket.end("response");
    await client.ended;
    expect([server.received.toString(), client.received.toString()]).toEqual(["request", "response"]);
    await closedAt(0);
    expect(closedEvents(0)).toEqual([expect.objectContaining({ by: "client" })]);
  });

  it("held by a stall goes on when it ends, and a reset cut in that same turn still closes both sides", async () => {
    // When the stall ends the client's FIN goes to the server, then the bytes down reach the cut, whose RST
    // is for the server too: once a FIN is queued a socket can no longer be reset, and Node then never
    // closes it.
    proxy.plan({ stall: { ms: 200 }, cut: { afterBytes: 10, direction: "down", how: "reset" } });
    const client = await connectPeer(proxy.address);
    const server = await target.peer(0);
    await proxy.waitFor((p) => p.connections[0]?.events.at(-1)?.type === "stalled");
    client.socket.end();
    server.socket.write(pattern(100));
    expect(GONE).toContain(await server.gone);
    await closedAt(0);
    const types = proxy.connections[0]?.events.map((event) => event.type);
    expect(types).toEqual(["opened", "stalled", "resumed", "cut", "closed"]);
  });
});

describe("a peer that closes during a delay and a throttle", () => {
  it("the server (FIN) while the client sends: both sides close, logged closed once", async () => {
    proxy.plan({ delay: { ms: 20 }, throttle: { bytesPerSecond: 2_000_000 } });
    const client = await connectPeer(proxy.address);
    client.socket.write(pattern(300_000));
    const server = await target.peer(0);
    await server.waitForBytes(50_000);
    server.socket.destroy();
    expect(GONE).toContain(await client.gone);
    await closedAt(0);
    expect(closedEvents(0)).toEqual([expect.objectContaining({ by: "server" })]);
  });
});

describe("close()", () => {
  it("resolves with a connection stalled until resumeAll() that was resumed after its server left", async () => {
    proxy.plan({ stall: { ms: Infinity, afterBytes: 100, direction: "up" } });
    const client = await connectPeer(proxy.address);
    client.socket.write(pattern(300_000));
    const server = await target.peer(0);
    await server.waitForBytes(100);
    server.socket.destroy();
    await server.closed;
    // Time for its FIN to reach the proxy, so that it goes to the client in the turn that resumes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proxy.resumeAll()).toBe(1);
    expect(GONE).toContain(await client.gone);
    const second = await connectPeer(proxy.address);
    expect(proxy.stallAll(Infinity)).toBeGreaterThanOrEqual(1);
    const closing = proxy.close();
    const late = new Promise((resolve) => setTimeout(resolve, 1000, "late"));
    expect(await Promise.race([closing.then(() => "closed"), late])).toBe("closed");
    expect(GONE.concat("close")).toContain(await second.gone);
    expect(proxy.connections.map((connection) => connection.open)).toEqual([false, false]);
    expect(proxy.connections.map((_, index) => closedEvents(index)?.length)).toEqual([1, 1]);
  });
});
