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

// Node timers may fire up to a millisecond early against performance.now().
const TIMER_SLACK_MS = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a stall", () => {
  it("after N bytes up holds the rest for its duration, then forwards all of it in order", async () => {
    proxy.plan({ stall: { ms: 500, afterBytes: 100, direction: "up" } });
    const client = await connectPeer(proxy.address);
    const sent = performance.now();
    client.socket.write(pattern(1000));
    const server = await target.peer(0);
    expect(await server.waitForBytes(100)).toEqual(pattern(100));
    await sleep(100);
    expect(server.received.length).toBe(100);
    expect(await server.waitForBytes(1000)).toEqual(pattern(1000));
    expect(server.arrivalOf(101)! - sent).toBeGreaterThanOrEqual(500 - TIMER_SLACK_MS);
    const [opened, stalled, resumed] = proxy.connections[0]?.events ?? [];
    expect([opened?.type, stalled?.type, resumed?.type]).toEqual(["opened", "stalled", "resumed"]);
    expect(stalled).toMatchObject({ ms: 500 });
    expect(resumed!.at - stalled!.at).toBeGreaterThanOrEqual(500 - TIMER_SLACK_MS);
  });

  it("stops both directions, keeps both sockets open and loses nothing, even megabytes", async () => {
    const client = await connectPeer(proxy.address);
    const server = await target.peer(0);
    expect(proxy.stallAll(Infinity)).toBe(1);
    const up = pattern(4 * 1024 * 1024);
    const down = pattern(3 * 1024 * 1024).reverse();
    client.socket.write(up);
    server.socket.write(down);
    await sleep(200);
    expect([server.received.length, client.received.length]).toEqual([0, 0]);
    expect(proxy.connections[0]?.open).toBe(true);
    expect(proxy.resumeAll()).toBe(1);
    expect((await server.waitForBytes(up.length)).equals(up)).toBe(true);
    expect((await client.waitForBytes(down.length)).equals(down)).toBe(true);
    expect(proxy.connections[0]).toMatchObject({ bytesUp: up.length, bytesDown: down.length });
    expect(proxy.resumeAll()).toBe(0);
  });

  it("holds a half-close like data: the FIN goes after what was held", async () => {
    const client = await connectPeer(proxy.address);
    const server = await target.peer(0);
    proxy.stallAll(Infinity);
    client.socket.end("last words");
    let ended = false;
    void server.ended.then(() => {
      ended = true;
    });
    await sleep(100);
    expect(ended).toBe(false);
    proxy.resumeAll();
    await server.ended;
    expect(server.received.toString()).toBe("last words");
  });

  it("at 0 bytes starts when the target accepted; the events say when it stalled and resumed", async () => {
    proxy.setDefault({ stall: { ms: 150 } });
    const client = await connectPeer(proxy.address);
    client.socket.write("hello");
    const server = await target.peer(0);
    await server.waitForBytes(5);
    expect(proxy.connections[0]?.events.map((event) => event.type)).toEqual(["opened", "stalled", "resumed"]);
  });

  it("is cut short by a cut, and a close() during a stall ends everything", async () => {
    const client = await connectPeer(proxy.address);
    proxy.stallAll(Infinity);
    expect(proxy.cutAll({ how: "fin" })).toBe(1);
    expect(await client.gone).toBe("end");
    expect(proxy.stallAll(100)).toBe(0);
    const second = await connectPeer(proxy.address);
    proxy.stallAll(Infinity);
    await proxy.close();
    expect(["end", "ECONNRESET", "close"]).toContain(await second.gone);
    expect(proxy.connections.map((connection) => connection.open)).toEqual([false, false]);
  });

  it("refuses a negative or missing duration", () => {
    expect(() => proxy.stallAll(-1)).toThrow(TypeError);
    expect(() => proxy.stallAll(Number.NaN)).toThrow(/stallAll: ms must be a number ≥ 0/);
  });
});
