import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer } from "./create-mock-server.js";
import type { MockServer } from "./mock-server.js";
import { GrpcStatusCode } from "./status.js";
import { openJsonStream, TestStream } from "./test-support/test-stream.js";

/**
 * Edge cases users rely on when they test against the mock: scripts set while a stream is open, drops
 * that must not lose an ack the recording says was sent, reset, IPv6 hosts, predicates that throw.
 */
let server: MockServer;
beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<string>((resolve) => setTimeout(() => resolve("still pending"), ms))]);

describe("scripts", () => {
  it("set after a stream was created apply to that open stream", async () => {
    const table = "main.edges.late";
    const stream = await openJsonStream(server, table);
    server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, after: { records: 2 } }]);
    stream.json(0n, '{"n":0}');
    stream.json(1n, '{"n":1}');
    const status = await within(stream.status, 3000);
    stream.close();
    expect(status).toMatchObject({ code: GrpcStatusCode.UNAVAILABLE });
  });

  it("acceptThenDrop ends its own connection with its own status; the next step waits for the next one", async () => {
    const table = "main.edges.accept_then_drop";
    server.script(table, [
      { acceptThenDrop: true },
      { fail: { code: GrpcStatusCode.NOT_FOUND, details: "second" } },
    ]);
    const first = new TestStream(server.address, server.headers(table));
    first.create(table);
    const firstStatus = await within(first.status, 3000);
    first.close();
    const second = new TestStream(server.address, server.headers(table));
    second.create(table);
    const secondStatus = await within(second.status, 3000);
    second.close();
    expect(firstStatus).toMatchObject({ code: GrpcStatusCode.UNAVAILABLE });
    expect(secondStatus).toMatchObject({ code: GrpcStatusCode.NOT_FOUND });
  });

  it("a drop after records delivers the ack it sent first (the recording says it was sent)", async () => {
    for (let i = 0; i < 3; i++) {
      const table = `main.edges.drop${i}`;
      server.script(table, [{ drop: true, after: { records: 1 } }]);
      const stream = await openJsonStream(server, table);
      stream.json(0n, '{"a":1}');
      const acks = await stream.acks(1, 2000).catch((error: Error) => error.message);
      stream.close();
      expect(acks).toEqual([0n]);
      expect(server.table(table).connections[0]?.acks).toEqual([0n]);
    }
  });
});

describe("the server", () => {
  it("forgets a server-wide ack policy on reset()", async () => {
    const local = await createMockServer();
    try {
      local.setAckPolicy(undefined, "never");
      local.reset();
      const stream = await openJsonStream(local, "main.edges.reset");
      stream.json(0n, '{"a":1}');
      const acks = await stream.acks(1, 2000).catch((error: Error) => error.message);
      stream.cancel();
      stream.close();
      expect(acks).toEqual([0n]);
    } finally {
      await local.close();
    }
  });

  it("gives usable URLs on an IPv6 loopback host", async () => {
    const local = await createMockServer({ host: "::1" });
    try {
      expect(new URL(local.endpoint).host).toBe(`[::1]:${local.port}`);
      expect(() => new URL(local.workspaceUrl)).not.toThrow();
      expect(local.address).toBe(`[::1]:${local.port}`);
      const stream = await openJsonStream(local, "main.edges.v6");
      stream.cancel();
      stream.close();
    } finally {
      await local.close();
    }
  });

  it("rejects a waitFor whose predicate throws, and goes on acking", async () => {
    const table = "main.edges.throwing_predicate";
    const stream = await openJsonStream(server, table);
    const waiting = server.table(table).waitFor(
      (t) => {
        if (t.recordCount > 0) throw new Error("predicate bug");
        return false;
      },
      { timeoutMs: 2000 },
    );
    const settled = waiting.then(
      () => "resolved",
      (error: Error) => error.message,
    );
    stream.json(0n, '{"a":1}');
    const acks = await stream.acks(1, 2000).catch((error: Error) => error.message);
    stream.cancel();
    stream.close();
    expect(acks).toEqual([0n]);
    expect(await settled).toBe("predicate bug");
  });
});
