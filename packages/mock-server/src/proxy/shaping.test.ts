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

// Node timers may fire up to a millisecond early against performance.now().
const TIMER_SLACK_MS = 2;

describe("a delay", () => {
  it("adds its latency to every chunk and keeps them in order", async () => {
    proxy.plan({ delay: { ms: 100, direction: "up" } });
    const client = await connectPeer(proxy.address);
    const server = await target.peer(0);
    const sent: number[] = [];
    for (const part of [pattern(300).subarray(0, 100), pattern(300).subarray(100)]) {
      sent.push(performance.now());
      client.socket.write(part);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(await server.waitForBytes(300)).toEqual(pattern(300));
    expect(server.arrivalOf(1)! - sent[0]!).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS);
    expect(server.arrivalOf(101)! - sent[1]!).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS);
  });

  it("in both directions (the default) doubles a round trip", async () => {
    proxy.plan({ delay: { ms: 80 } });
    const client = await connectPeer(proxy.address);
    const sent = performance.now();
    client.socket.write("ping");
    expect((await client.waitForBytes(4)).toString()).toBe("ping");
    expect(client.arrivalOf(4)! - sent).toBeGreaterThanOrEqual(160 - 2 * TIMER_SLACK_MS);
  });
});

describe("a throttle", () => {
  it("forwards at most its rate, byte-exact", async () => {
    proxy.plan({ throttle: { bytesPerSecond: 20_000, direction: "down" } });
    const client = await connectPeer(proxy.address);
    const sent = performance.now();
    client.socket.write(pattern(10_000));
    expect((await client.waitForBytes(10_000)).equals(pattern(10_000))).toBe(true);
    // A throttled pipe may send one slice (1/20 s worth) at once; the rest takes the rate.
    expect(client.arrivalOf(10_000)! - sent).toBeGreaterThanOrEqual(((10_000 - 1000) / 20_000) * 1000);
  });
});
