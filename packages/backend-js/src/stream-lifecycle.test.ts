import type { HeadersContext, StreamOptions, StreamState } from "@zerobus/core";
import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";
import { createMockServer, GrpcStatusCode, type MockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend } from "./create-backend.js";

/**
 * Edge cases of a stream's lifecycle against the real mock server: attempts given up, a close signal
 * during the first ack after a recovery, idle streams on a server that drops them, and a backend closed
 * while a stream opens.
 */
let server: MockServer;
let tables = 0;
const nextTable = () => `main.lifecycle.t${++tables}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await server.close();
});

function backend() {
  return new StreamRegistry(
    createBackend({
      endpoint: server.endpoint,
      allowInsecure: true,
      workspaceId: "1",
      logger: silentLogger,
    }),
  );
}

const headers = { getHeaders: (context: HeadersContext) => server.headers(context.tableName) };

function options(overrides: StreamOptions = {}) {
  return resolveStreamOptions(
    {
      recoveryBackoffMs: 30,
      recoveryTimeoutMs: 3000,
      recoveryRetries: 3,
      flushTimeoutMs: 5000,
      ...overrides,
    },
    { hasDescriptor: false },
  );
}

describe("a connection attempt given up", () => {
  it("cancels its call, so the server keeps no stream nobody owns", async () => {
    const table = nextTable();
    server.script(table, [{ create: { delayMs: 600 } }]);
    const js = backend();
    await expect(
      js.openStream({ tableName: table }, options({ recovery: false, recoveryTimeoutMs: 150 }), headers),
    ).rejects.toMatchObject({ code: "deadline_exceeded" });
    await expect
      .poll(() => server.table(table).connections[0]?.end, { timeout: 3000 })
      .toEqual({ by: "client", how: "cancelled" });
    expect(server.live(table)).toHaveLength(0);
    await js.close();
  });

  it("is not made at all when the signal was already aborted", async () => {
    const table = nextTable();
    const js = backend();
    const signal = AbortSignal.abort();
    await expect(js.openStream({ tableName: table }, options(), headers, { signal })).rejects.toMatchObject({
      code: "cancelled",
    });
    expect(server.table(table).connections).toHaveLength(0);
    await js.close();
  });
});

describe("a close signal", () => {
  it("keeps the stream paused when the first ack after a recovery comes during the pause", async () => {
    const table = nextTable();
    server.script(table, [
      { ack: "never" },
      { fail: GrpcStatusCode.UNAVAILABLE, after: { records: 4 } },
      { closeSignal: { seconds: 5, thenEnd: false }, after: { records: 2 } },
    ]);
    const js = backend();
    const states: StreamState[] = [];
    const stream = await js.openStream(
      { tableName: table },
      options({ streamPausedMaxWaitTimeMs: 3000 }),
      headers,
      { events: { onStateChange: (state) => states.push(state) } },
    );
    // The first connection gets two requests acknowledged, so the next one may have two in flight.
    for (const [i, offset] of [0n, 1n].entries()) {
      await stream.ingestRecord(`{"i":${i}}`);
      await server.table(table).waitForRecords(i + 1);
      server.live(table)[0]?.ack(offset);
      await expect.poll(() => stream.stats().recordsAcked).toBe(i + 1);
    }
    await stream.ingestRecord('{"i":2}');
    await stream.ingestRecord('{"i":3}');
    // Both re-sent on the second connection, whose close signal then pauses the stream.
    await server.table(table).waitForRecords(6);
    await expect.poll(() => stream.state).toBe("paused");
    await stream.ingestRecord('{"i":4}'); // held: nothing is sent after a close signal
    // Acknowledges the first re-sent record only: the second is still in flight, the pause goes on.
    server.live(table)[0]?.ack(0n);
    await expect.poll(() => stream.stats().recordsAcked).toBe(3);
    expect(stream.state).toBe("paused");
    server.setAckPolicy(table, "immediate"); // for the held record, on the next connection
    server.live(table)[0]?.ack(1n);
    await stream.flush();
    expect(states.slice(0, 3)).toEqual(["recovering", "paused", "recovering"]);
    await stream.close();
    await js.close();
  });
  it("lasting longer than a timer can wait keeps the stream paused instead of reconnecting at once", async () => {
    const table = nextTable();
    // About 34 days: past the 2^31 − 1 ms a Node timer can wait.
    server.script(table, [
      { ack: "never" },
      { closeSignal: { seconds: 3_000_000, thenEnd: false }, after: { records: 1 } },
    ]);
    const js = backend();
    const stream = await js.openStream({ tableName: table }, options({ flushTimeoutMs: 100 }), headers);
    await stream.ingestRecord('{"i":0}');
    await expect.poll(() => stream.state).toBe("paused");
    await sleep(300);
    expect(stream.state).toBe("paused");
    expect(server.table(table).connections).toHaveLength(1);
    await js.close();
  });
});

describe("an idle stream on a server that accepts and drops every connection", () => {
  it("spends one retry budget with backoff, then fails: no endless storm of reconnections", async () => {
    const table = nextTable();
    server.script(table, [{ acceptThenDrop: true }], { scope: "connection" });
    const js = backend();
    const reasons: string[] = [];
    const stream = await js.openStream(
      { tableName: table },
      options({ recoveryRetries: 2, recoveryBackoffMs: 300 }),
      {
        getHeaders: (context) => {
          reasons.push(context.reason);
          return server.headers(context.tableName);
        },
      },
    );
    const started = performance.now();
    await expect.poll(() => stream.state, { timeout: 10_000 }).toBe("failed");
    // The first connection, then 1 + recoveryRetries attempts of one recovery, two of them after a backoff.
    expect(server.table(table).connections).toHaveLength(4);
    expect(reasons).toEqual(["create", "recovery", "recovery", "recovery"]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 300 * 0.8 - 20);
    await sleep(700);
    expect(server.table(table).connections).toHaveLength(4);
    await js.close();
  });
});

describe("a backend closed while a stream opens", () => {
  it("makes the opening reject and leaves nothing open on the server", async () => {
    const table = nextTable();
    server.script(table, [{ create: { delayMs: 300 } }]);
    const js = backend();
    const opening = js.openStream({ tableName: table }, options(), headers);
    await server.table(table).waitForConnections(1);
    await js.close();
    await expect(opening).rejects.toMatchObject({ code: "invalid_state" });
    await expect
      .poll(() => server.table(table).connections[0]?.end, { timeout: 3000 })
      .toEqual({ by: "client", how: "cancelled" });
  });
});
