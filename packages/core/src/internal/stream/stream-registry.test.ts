import { describe, expect, it } from "vitest";
import type { Backend, Connection, ConnectionEvents } from "../../backend.js";
import { resolveStreamOptions } from "../../stream-options.js";
import type { WireRequest } from "../../wire-request.js";
import { ZerobusError } from "../../zerobus-error.js";
import { StreamRegistry } from "./stream-registry.js";

/**
 * A connection that acknowledges each request at once (or, `holdAcks`, never), and records what happened
 * to it. The core has no transport of its own: the real ones are tested by each backend's suite.
 */
class MemoryConnection implements Connection {
  readonly streamId = "memory";
  readonly log: string[] = [];
  #events: ConnectionEvents | undefined;

  constructor(private readonly holdAcks: boolean) {}

  listen(events: ConnectionEvents): void {
    this.#events = events;
  }

  send(request: WireRequest): boolean {
    this.log.push(`send ${request.wireOffset}`);
    if (!this.holdAcks) queueMicrotask(() => this.#events?.onAck(BigInt(request.wireOffset)));
    return true;
  }

  whenDrained(callback: () => void): void {
    queueMicrotask(callback);
  }

  close(flushed: boolean): void {
    this.log.push(`close ${flushed}`);
  }

  abort(): void {
    this.log.push("abort");
  }
}

/** A backend over {@link MemoryConnection}s; `connectGate` holds every attempt until it resolves. */
function memoryBackend(options: { holdAcks?: boolean; connectGate?: Promise<void> } = {}) {
  const connections: MemoryConnection[] = [];
  const log: string[] = [];
  const backend: Backend = {
    name: "js",
    capabilities: {},
    async connect(_target, { signal }) {
      log.push("connect");
      await new Promise<void>((resolve, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        void (options.connectGate ?? Promise.resolve()).then(resolve);
      });
      const connection = new MemoryConnection(options.holdAcks ?? false);
      connections.push(connection);
      return connection;
    },
    async close() {
      log.push("backend closed");
    },
  };
  return { backend, connections, log };
}

/** A promise and its resolve (Node 20 has no `Promise.withResolvers`). */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

const table = { tableName: "main.default.t" };
const json = (overrides = {}) =>
  resolveStreamOptions({ flushTimeoutMs: 50, ...overrides }, { hasDescriptor: false });
const headers = { getHeaders: () => ({}) };

describe("StreamRegistry", () => {
  it("closes every open stream gracefully, then the backend, once for every call", async () => {
    const { backend, connections, log } = memoryBackend();
    const streams = new StreamRegistry(backend);
    const first = await streams.openStream(table, json(), headers);
    const second = await streams.openStream(table, json(), headers);
    await first.ingestRecord("{}");
    expect(streams.size).toBe(2);
    await Promise.all([streams.close(), streams.close()]);
    expect([first.state, second.state]).toEqual(["closed", "closed"]);
    expect(connections.map((connection) => connection.log.at(-1))).toEqual(["close true", "close true"]);
    expect(log.filter((line) => line === "backend closed")).toHaveLength(1);
    expect(streams.size).toBe(0);
  });

  it("ends a stream whose flush timed out without waiting for acks, keeping its records", async () => {
    const { backend, connections } = memoryBackend({ holdAcks: true });
    const streams = new StreamRegistry(backend);
    const stream = await streams.openStream(table, json(), headers);
    await stream.ingestRecord('{"a":1}');
    await streams.close();
    expect(stream.state).toBe("closed");
    expect(connections[0]?.log).toContain("close false");
    expect(stream.getUnackedRecords()).toEqual(['{"a":1}']);
  });

  it("forgets a stream that closed on its own, and owns only what it opened", async () => {
    const { backend } = memoryBackend();
    const streams = new StreamRegistry(backend);
    const stream = await streams.openStream(table, json(), headers);
    await stream.close();
    expect(streams.size).toBe(0);
    expect(streams.owns(stream)).toBe(true);
    expect(new StreamRegistry(memoryBackend().backend).owns(stream)).toBe(false);
    expect(streams.owns({})).toBe(false);
  });

  it("stops openings in progress when it closes, and refuses new ones after", async () => {
    const gate = deferred<void>();
    const { backend, connections } = memoryBackend({ connectGate: gate.promise });
    const streams = new StreamRegistry(backend, { owner: "ZerobusSdk" });
    const opening = streams.openStream(table, json(), headers);
    const closing = streams.close();
    await expect(opening).rejects.toMatchObject({ code: "invalid_state" });
    await closing;
    gate.resolve();
    expect(connections).toHaveLength(0);
    expect(() => streams.checkOpen()).toThrow(
      expect.objectContaining({
        code: "invalid_state",
        message: "[invalid_state] this ZerobusSdk is closed",
      }),
    );
    await expect(streams.openStream(table, json(), headers)).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("waits for an opening still being prepared, which then rejects", async () => {
    const { backend, log } = memoryBackend();
    const streams = new StreamRegistry(backend);
    const prepared = deferred<{
      table: typeof table;
      options: ReturnType<typeof json>;
      headers: typeof headers;
    }>();
    const opening = streams.openPrepared(prepared.promise);
    let closed = false;
    const closing = streams.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(false);
    prepared.resolve({ table, options: json(), headers });
    await expect(opening).rejects.toMatchObject({ code: "invalid_state" });
    await closing;
    expect(log).not.toContain("connect");
  });

  it("loads a lazy backend at the first stream, and again after a load that failed", async () => {
    const { backend } = memoryBackend();
    let loads = 0;
    const streams = new StreamRegistry(async () => {
      loads++;
      if (loads === 1) throw new ZerobusError("native_unavailable", "not this time");
      return backend;
    });
    expect(() => streams.capabilities).toThrow(expect.objectContaining({ code: "invalid_state" }));
    await expect(streams.openStream(table, json(), headers)).rejects.toMatchObject({
      code: "native_unavailable",
    });
    const stream = await streams.openStream(table, json(), headers);
    expect(streams.capabilities).toEqual({});
    expect(loads).toBe(2);
    await stream.close();
    await streams.close();
  });

  it("registers a recreated stream, and gives the same one when asked twice", async () => {
    const { backend } = memoryBackend({ holdAcks: true });
    const streams = new StreamRegistry(backend);
    const stream = await streams.openStream(table, json(), headers);
    await stream.ingestRecord('{"a":1}');
    await expect(stream.close()).rejects.toMatchObject({ code: "flush_timeout" });
    const [again, same] = await Promise.all([stream.recreate(), stream.recreate()]);
    expect(again).toBe(same);
    expect(streams.owns(again)).toBe(true);
    expect(streams.size).toBe(1);
    expect(again.getUnackedRecords()).toEqual(['{"a":1}']);
  });
});
