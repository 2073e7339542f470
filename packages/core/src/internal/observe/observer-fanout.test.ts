import { describe, expect, it, vi } from "vitest";
import type { Backend, Connection } from "../../backend.js";
import type { Logger } from "../../logger.js";
import { RecordType } from "../../record-type.js";
import { resolveStreamOptions } from "../../stream-options.js";
import { ZerobusError } from "../../zerobus-error.js";
import { StreamRegistry } from "../stream/stream-registry.js";
import { ObserverFanout } from "./observer-fanout.js";
import { silentObserver } from "./silent-observer.js";
import type { ObservedStream, StreamObserver } from "./stream-observer.js";

type Flag = "wantsAckLatency" | "wantsAccepted";
const flags: readonly string[] = ["wantsAckLatency", "wantsAccepted"] satisfies Flag[];
const moments = Object.keys(silentObserver).filter((key) => !flags.includes(key)) as Exclude<
  keyof StreamObserver,
  Flag
>[];

/** An observer that records each call as `[moment, ...args]`, throwing in every moment when `throws`. */
function recording(throws = false, wantsAccepted = true): StreamObserver & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const observer = { wantsAckLatency: false, wantsAccepted, calls } as StreamObserver & {
    calls: unknown[][];
  };
  for (const moment of moments) {
    (observer as unknown as Record<string, unknown>)[moment] = (...args: unknown[]) => {
      calls.push([moment, ...args]);
      if (throws) throw new Error(`observer broke in ${moment}`);
    };
  }
  return observer;
}

function warnings(): Logger & { warned: string[] } {
  const warned: string[] = [];
  const ignore = () => {};
  return { debug: ignore, info: ignore, error: ignore, warn: (message) => warned.push(message), warned };
}

describe("ObserverFanout", () => {
  it("gives every moment to every observer, a throwing one logged and passed over", () => {
    const first = recording(true);
    const second = recording();
    const logger = warnings();
    const fanout = new ObserverFanout([first, second], logger);
    const error = new ZerobusError("unavailable", "gone");
    fanout.openStarted();
    fanout.attemptStarted("recovery", 2);
    fanout.accepted(3, 30);
    fanout.acknowledged(2n, 3, 30, 12.5);
    fanout.recoveryEnded("failed", error);
    fanout.flushEnded(error, 4);
    fanout.failed(error);
    const expected = [
      ["openStarted"],
      ["attemptStarted", "recovery", 2],
      ["accepted", 3, 30],
      ["acknowledged", 2n, 3, 30, 12.5],
      ["recoveryEnded", "failed", error],
      ["flushEnded", error, 4],
      ["failed", error],
    ];
    expect(first.calls).toEqual(expected);
    expect(second.calls).toEqual(expected);
    expect(logger.warned).toHaveLength(7);
    expect(logger.warned[2]).toBe("a stream observer threw in accepted; observers must not throw");
  });

  it("guards every moment of the contract", () => {
    const logger = warnings();
    const fanout = new ObserverFanout([recording(true)], logger);
    for (const moment of moments) {
      expect(() => (fanout[moment] as (...args: unknown[]) => void)()).not.toThrow();
    }
    expect(logger.warned).toHaveLength(moments.length);
  });

  it("survives a logger that throws too", () => {
    const logger = warnings();
    logger.warn = () => {
      throw new Error("logger broke");
    };
    expect(() => new ObserverFanout([recording(true)], logger).accepted(1, 1)).not.toThrow();
  });

  it("calls accepted only on the observers that want it, and gives every observer the stream's stats", () => {
    const counting = recording();
    const readingStats = recording(false, false);
    const fanout = new ObserverFanout([counting, readingStats], warnings());
    const stats = () => ({ recordsAccepted: 1 }) as ReturnType<Parameters<StreamObserver["attachStats"]>[0]>;
    fanout.attachStats(stats);
    fanout.accepted(1, 10);
    expect(fanout.wantsAccepted).toBe(true);
    expect(counting.calls).toEqual([
      ["attachStats", stats],
      ["accepted", 1, 10],
    ]);
    expect(readingStats.calls).toEqual([["attachStats", stats]]);
    expect(new ObserverFanout([readingStats], warnings()).wantsAccepted).toBe(false);
  });

  it("wants ack latency when one of its observers does", () => {
    const timing = { ...recording(), wantsAckLatency: true };
    expect(new ObserverFanout([recording(), timing], warnings()).wantsAckLatency).toBe(true);
    expect(new ObserverFanout([recording(), recording()], warnings()).wantsAckLatency).toBe(false);
  });
});

/** A backend whose connections acknowledge each request at once. */
function ackingBackend(): Backend {
  return {
    name: "native",
    capabilities: {},
    async connect() {
      let events: Parameters<Connection["listen"]>[0] | undefined;
      const connection: Connection = {
        streamId: "s-1",
        listen: (listener) => {
          events = listener;
        },
        send: (request) => {
          queueMicrotask(() => events?.onAck(BigInt(request.wireOffset)));
          return true;
        },
        whenDrained: (callback) => queueMicrotask(callback),
        close: () => {},
        abort: () => {},
      };
      return connection;
    },
    async close() {},
  };
}

const options = resolveStreamOptions({}, { hasDescriptor: false });
const headers = { getHeaders: () => ({ authorization: "Bearer x" }) };

describe("StreamRegistry's observer option", () => {
  it("loads the factory once, retries a rejected load, and keeps records flowing past a throwing observer", async () => {
    const observer = recording(true);
    const seen: ObservedStream[] = [];
    const loader = vi
      .fn<() => Promise<(stream: ObservedStream) => StreamObserver>>()
      .mockRejectedValueOnce(new ZerobusError("invalid_argument", "no OpenTelemetry"))
      .mockResolvedValue((stream) => {
        seen.push(stream);
        return observer;
      });
    const logger = warnings();
    const registry = new StreamRegistry(ackingBackend(), {
      observer: loader,
      endpoint: "https://1234.zerobus.example.com",
      logger,
    });
    await expect(registry.openStream({ tableName: "a.b.c" }, options, headers)).rejects.toThrow(
      "no OpenTelemetry",
    );
    const stream = await registry.openStream({ tableName: "a.b.c" }, options, headers);
    await registry.openStream({ tableName: "a.b.d" }, options, headers);
    expect(loader).toHaveBeenCalledTimes(2);
    expect(seen).toEqual([
      {
        table: "a.b.c",
        backend: "native",
        serverAddress: "1234.zerobus.example.com",
        serverPort: 443,
        recordType: RecordType.Json,
      },
      {
        table: "a.b.d",
        backend: "native",
        serverAddress: "1234.zerobus.example.com",
        serverPort: 443,
        recordType: RecordType.Json,
      },
    ]);
    const offsets = [];
    for (let i = 0; i < 5; i++) offsets.push(await stream.ingestRecord(`{"n":${i}}`));
    await stream.flush();
    expect(offsets).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(stream.stats().recordsAcked).toBe(5);
    expect(observer.calls.filter(([moment]) => moment === "accepted")).toHaveLength(5);
    expect(logger.warned.length).toBeGreaterThan(5);
    await registry.close();
  });

  it("takes a factory as it is, and opens the stream when the factory throws", async () => {
    const logger = warnings();
    const registry = new StreamRegistry(ackingBackend(), {
      observer: () => {
        throw new Error("factory broke");
      },
      logger,
    });
    const stream = await registry.openStream({ tableName: "a.b.c" }, options, headers);
    await stream.waitForOffset(await stream.ingestRecord("{}"));
    expect(logger.warned).toEqual([
      "the stream observer factory threw; the stream is observed by diagnostics_channel only",
    ]);
    await registry.close();
  });

  it("stamps each ingest call when an observer wants ack latency: acks give the oldest stamp they cover", async () => {
    const observer = { ...recording(), wantsAckLatency: true };
    const registry = new StreamRegistry(ackingBackend(), { observer: () => observer });
    const stream = await registry.openStream({ tableName: "a.b.c" }, options, headers);
    const before = performance.now();
    const offsets = [await stream.ingestRecord("{}"), await stream.ingestRecords(["{}", "{}"])];
    const after = performance.now();
    await stream.flush();
    const acks = observer.calls.filter(([moment]) => moment === "acknowledged");
    expect(acks.reduce((sum, call) => sum + (call[2] as number), 0)).toBe(3);
    expect(acks.at(-1)?.[1]).toBe(offsets[1]);
    for (const call of acks) {
      expect(call[4]).toBeGreaterThanOrEqual(before);
      expect(call[4]).toBeLessThanOrEqual(after);
    }
    await registry.close();
  });
});
