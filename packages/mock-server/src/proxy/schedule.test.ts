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

/** Connects, sends a byte and waits for the echo; or says how the connection went. */
async function roundTrip(): Promise<string> {
  // A reset can beat the client's own view of the handshake: then connecting fails.
  const client = await connectPeer(proxy.address).catch((error: NodeJS.ErrnoException) => error.code);
  if (typeof client === "string" || client === undefined) return String(client);
  client.socket.write("x");
  const outcome = await Promise.race([client.waitForBytes(1).then(() => "echoed"), client.gone]);
  client.socket.destroy();
  return outcome;
}

describe("the schedule", () => {
  it("gives each connection the next queued plan, then the default", async () => {
    proxy.plan({ delay: { ms: 1 } }, { throttle: { bytesPerSecond: 1000 } });
    proxy.setDefault({ delay: { ms: 2 } });
    for (let i = 0; i < 4; i++) expect(await roundTrip()).toBe("echoed");
    expect(proxy.connections.map((connection) => connection.plan)).toEqual([
      { delay: { ms: 1 } },
      { throttle: { bytesPerSecond: 1000 } },
      { delay: { ms: 2 } },
      { delay: { ms: 2 } },
    ]);
    expect(proxy.connections.map((connection) => connection.index)).toEqual([0, 1, 2, 3]);
  });

  it("refuses connections at once without reaching the target; refuseNext goes before queued plans", async () => {
    proxy.plan({ delay: { ms: 1 } });
    proxy.refuseNext(2);
    expect(await roundTrip()).toMatch(/^(ECONNRESET|end)$/);
    expect(await roundTrip()).toMatch(/^(ECONNRESET|end)$/);
    expect(await roundTrip()).toBe("echoed");
    expect(target.peers).toHaveLength(1);
    await proxy.waitFor((p) => p.connections.slice(0, 2).every((connection) => !connection.open));
    expect(proxy.connections.map((connection) => connection.plan)).toEqual([
      { refuse: true },
      { refuse: true },
      { delay: { ms: 1 } },
    ]);
    expect(proxy.connections[0]?.events.map((event) => event.type)).toEqual(["opened", "refused", "closed"]);
    expect(proxy.connections[0]?.events.at(-1)).toMatchObject({ by: "proxy" });
    expect(() => proxy.refuseNext(-1)).toThrow(TypeError);
  });

  it("a refuse plan refuses one connection", async () => {
    proxy.plan({ refuse: true });
    expect(await roundTrip()).toMatch(/^(ECONNRESET|end)$/);
    expect(await roundTrip()).toBe("echoed");
  });

  it("keeps a copy of each plan: editing it afterwards changes nothing", async () => {
    const plan = { delay: { ms: 5 } };
    proxy.plan(plan);
    plan.delay.ms = 10_000;
    expect(await roundTrip()).toBe("echoed");
    expect(proxy.connections[0]?.plan).toEqual({ delay: { ms: 5 } });
  });

  it("records a target that refuses as a connection closed by the server", async () => {
    const closed = await startPeerServer();
    const address = closed.address;
    await closed.close();
    await using unreachable = await createFaultProxy({ target: address });
    const client = await connectPeer(unreachable.address);
    expect(["end", "ECONNRESET"]).toContain(await client.gone);
    await unreachable.waitFor((p) => p.connections[0]?.open === false);
    expect(unreachable.connections[0]?.events.at(-1)).toMatchObject({ by: "server", error: "ECONNREFUSED" });
  });

  it("waitFor rejects after its timeout, saying what it saw", async () => {
    await expect(proxy.waitFor((p) => p.connections.length > 0, { timeoutMs: 50 })).rejects.toThrow(
      /not met after 50 ms \(fault proxy: 0 connections, 0 open\)/,
    );
  });
});

describe("close()", () => {
  it("stops listening, destroys every socket, and can be called again", async () => {
    const client = await connectPeer(proxy.address);
    proxy.stallAll(Infinity);
    const closing = proxy.close();
    expect(proxy.close()).toBe(closing);
    await closing;
    expect(["end", "ECONNRESET"]).toContain(await client.gone);
    client.socket.destroy();
    await expect(connectPeer(proxy.address)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(proxy.connections[0]?.events.at(-1)).toMatchObject({ type: "closed", by: "proxy" });
  });

  it("leaves nothing that keeps the process alive", async () => {
    // Sockets, servers and timers, by kind: what the proxy could leave behind. Earlier tests' sockets may
    // still be closing, so no kind may grow, rather than all staying equal.
    const alive = () => {
      const counts = new Map<string, number>();
      for (const kind of process.getActiveResourcesInfo().filter((kind) => /^(TCP|Timeout)/.test(kind))) {
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
      }
      return counts;
    };
    const before = alive();
    const busy = await createFaultProxy({ target: target.address, defaultPlan: { delay: { ms: 60_000 } } });
    const client = await connectPeer(busy.address);
    client.socket.write(pattern(1000));
    await busy.waitFor((p) => p.connections.length === 1);
    busy.stallAll(60_000);
    await busy.close();
    client.socket.destroy();
    await client.closed;
    for (const peer of target.peers) peer.socket.destroy();
    await Promise.all(target.peers.map((peer) => peer.closed));
    for (const [kind, count] of alive()) expect(count, kind).toBeLessThanOrEqual(before.get(kind) ?? 0);
  });
});
