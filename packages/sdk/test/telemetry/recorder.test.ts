// The OpenTelemetry recorder against the StreamObserver interface, with the OpenTelemetry SDK's in-memory
// readers: what each moment of a stream records. The same metrics and spans through real streams on both
// backends are in telemetry-e2e.test.ts.
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import { ZerobusError } from "@zerobus/core";
import { loadTelemetry, MISSING_OTEL_API } from "@zerobus/core/internal";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OtelHarness } from "./otel-harness.js";
import { otelHarness, sumOf } from "./otel-harness.js";

type StreamObserverFactory = Awaited<ReturnType<typeof loadTelemetry>>;
type ObservedStream = Parameters<StreamObserverFactory>[0];
type StreamObserver = ReturnType<StreamObserverFactory>;

const stream: ObservedStream = {
  table: "main.t.readings",
  backend: "js",
  serverAddress: "127.0.0.1",
  serverPort: 4443,
  recordType: 2,
};
const base = {
  "zerobus.table": "main.t.readings",
  "zerobus.backend": "js",
  "server.address": "127.0.0.1",
  "server.port": 4443,
};
/** The only attribute keys a metric may carry: all bounded. */
const boundedKeys = new Set([
  ...Object.keys(base),
  "error.type",
  "zerobus.connection.reason",
  "zerobus.recovery.outcome",
  "zerobus.stream.state",
]);

let otel: OtelHarness;
beforeEach(() => {
  otel = otelHarness();
});
afterEach(async () => {
  await otel.shutdown();
});

async function observer(which: ObservedStream = stream): Promise<StreamObserver> {
  const factory = await loadTelemetry({
    meterProvider: otel.meterProvider,
    tracerProvider: otel.tracerProvider,
  });
  return factory(which);
}

const unavailable = new ZerobusError("unavailable", "connection refused");

type StreamStats = ReturnType<Parameters<StreamObserver["attachStats"]>[0]>;

/**
 * The counters a stream keeps (its `stats()`), attached to `o` as the stream engine attaches them, and fed
 * like ingest calls and acks feed them: the recorder reads them at each collection (it wants no `accepted`).
 * `seeded`: records a recreation queued before the observer was attached (counted by the stream they came from).
 */
function counted(o: StreamObserver, seeded = { records: 0, bytes: 0 }) {
  const stats: StreamStats = {
    recordsAccepted: seeded.records,
    bytesAccepted: seeded.bytes,
    recordsAcked: 0,
    recordsInFlight: seeded.records,
    bytesInFlight: seeded.bytes,
    recordsResent: 0,
    recoveries: 0,
    connections: 0,
    requestSizeLimit: 0,
  };
  o.attachStats(() => ({ ...stats }));
  return {
    accept(records: number, bytes: number): void {
      stats.recordsAccepted += records;
      stats.bytesAccepted += bytes;
      stats.recordsInFlight += records;
      stats.bytesInFlight += bytes;
    },
    ack(upTo: bigint, records: number, bytes: number, acceptedAt?: number): void {
      stats.recordsAcked += records;
      stats.recordsInFlight -= records;
      stats.bytesInFlight -= bytes;
      o.acknowledged(upTo, records, bytes, acceptedAt);
    },
  };
}

describe("the OpenTelemetry recorder", () => {
  it("samples ack latency at most once per millisecond per stream, and counts every acknowledged record", async () => {
    const o = await observer();
    const c = counted(o);
    o.openStarted();
    o.openEnded({ streamId: "s-1" });
    c.accept(3, 30);
    const acceptedAt = performance.now() - 20;
    const start = performance.now();
    c.ack(0n, 1, 10, acceptedAt);
    c.ack(1n, 1, 10, acceptedAt);
    c.ack(2n, 1, 10, acceptedAt);
    const sameMillisecond = performance.now() - start < 1;
    const m = await otel.collect();
    expect(otel.points(m, "zerobus.records.acknowledged")).toEqual([{ attributes: base, value: 3 }]);
    const [ack] = otel.histogramPoints(m, "zerobus.ack.duration");
    if (sameMillisecond) expect(ack?.value.count).toBe(1);
    expect(ack?.value.count).toBeLessThan(3);
    expect(ack?.value.min).toBeGreaterThanOrEqual(0.02);
  });

  it("wants ack latency and records a whole stream's life as metrics", async () => {
    const o = await observer();
    expect(o.wantsAckLatency).toBe(true);
    expect(o.wantsAccepted).toBe(false);
    const c = counted(o);
    o.openStarted();
    o.attemptStarted("create", 1);
    o.headersFetched("create", 40);
    o.attemptEnded("create", { error: unavailable });
    o.attemptStarted("create", 2);
    o.headersFetched("create", 10);
    o.attemptEnded("create", { streamId: "s-1" });
    o.openEnded({ streamId: "s-1" });
    c.accept(3, 30);
    c.accept(2, 25);
    o.refused(new ZerobusError("invalid_argument", "not a JSON object"));

    let m = await otel.collect();
    expect(otel.points(m, "zerobus.records.in_flight")).toEqual([{ attributes: base, value: 5 }]);
    expect(otel.points(m, "zerobus.bytes.in_flight")).toEqual([{ attributes: base, value: 55 }]);
    expect(otel.points(m, "zerobus.streams")).toEqual([
      { attributes: { ...base, "zerobus.stream.state": "open" }, value: 1 },
    ]);

    const acceptedAt = performance.now() - 50;
    c.ack(3n, 3, 30, acceptedAt);
    o.closeSignal(1_000);
    o.stateChanged("paused");
    o.recoveryStarted(undefined);
    o.stateChanged("recovering");
    o.attemptStarted("recovery", 1);
    o.headersFetched("unauthenticated", 5, new ZerobusError("auth_failed", "token endpoint said 401"));
    o.attemptEnded("unauthenticated", { error: new ZerobusError("unauthenticated", "expired") });
    o.attemptStarted("recovery", 2);
    o.attemptEnded("recovery", { streamId: "s-2" });
    o.resent(2, 25);
    o.recoveryEnded("recovered");
    o.stateChanged("open");
    // Ack latencies are sampled at most once per ACK_LATENCY_SAMPLE_MS (1 ms) per stream: this one comes later.
    await new Promise((resolve) => setTimeout(resolve, 3));
    c.ack(4n, 2, 25, performance.now() - 5);

    m = await otel.collect();
    expect(otel.points(m, "zerobus.records.accepted")).toEqual([{ attributes: base, value: 5 }]);
    expect(otel.points(m, "zerobus.bytes.accepted")).toEqual([{ attributes: base, value: 55 }]);
    expect(otel.points(m, "zerobus.records.acknowledged")).toEqual([{ attributes: base, value: 5 }]);
    expect(otel.points(m, "zerobus.bytes.acknowledged")).toEqual([{ attributes: base, value: 55 }]);
    expect(otel.points(m, "zerobus.records.resent")).toEqual([{ attributes: base, value: 2 }]);
    expect(otel.points(m, "zerobus.bytes.resent")).toEqual([{ attributes: base, value: 25 }]);
    expect(otel.points(m, "zerobus.records.in_flight")).toEqual([{ attributes: base, value: 0 }]);
    expect(otel.points(m, "zerobus.refusals")).toEqual([
      { attributes: { ...base, "error.type": "invalid_argument" }, value: 1 },
    ]);
    expect(otel.points(m, "zerobus.close_signals")).toEqual([{ attributes: base, value: 1 }]);
    expect(otel.points(m, "zerobus.recoveries")).toEqual([
      { attributes: { ...base, "zerobus.recovery.outcome": "recovered" }, value: 1 },
    ]);
    const attempts = otel.points(m, "zerobus.connection.attempts");
    expect(sumOf(attempts, { "zerobus.connection.reason": "create" })).toBe(2);
    expect(sumOf(attempts, { "zerobus.connection.reason": "create", "error.type": "unavailable" })).toBe(1);
    expect(
      sumOf(attempts, { "zerobus.connection.reason": "unauthenticated", "error.type": "unauthenticated" }),
    ).toBe(1);
    expect(sumOf(attempts, { "zerobus.connection.reason": "recovery" })).toBe(1);
    const fetches = otel.points(m, "zerobus.token.fetches");
    expect(sumOf(fetches)).toBe(3);
    expect(
      sumOf(fetches, { "zerobus.connection.reason": "unauthenticated", "error.type": "auth_failed" }),
    ).toBe(1);
    const fetchTimes = otel.histogramPoints(m, "zerobus.token.fetch.duration");
    const create = fetchTimes.find((p) => p.attributes["zerobus.connection.reason"] === "create");
    expect(create?.value.count).toBe(2);
    expect(create?.value.sum).toBeCloseTo(0.05, 6);
    expect(m.get("zerobus.token.fetch.duration")?.descriptor.unit).toBe("s");

    const [ack] = otel.histogramPoints(m, "zerobus.ack.duration");
    expect(ack?.value.count).toBe(2);
    expect(ack?.value.min).toBeGreaterThanOrEqual(0.005);
    expect(ack?.value.max).toBeGreaterThanOrEqual(0.05);
    expect(ack?.value.max).toBeLessThan(5);

    o.closeStarted();
    o.stateChanged("closing");
    o.stateChanged("closed");
    o.closeEnded();
    m = await otel.collect();
    // Gone from the gauges: the state it was counted in at a collection reports 0, not 1 forever.
    expect(otel.points(m, "zerobus.streams")).toEqual([
      { attributes: { ...base, "zerobus.stream.state": "open" }, value: 0 },
    ]);

    for (const metric of m.values()) {
      for (const point of metric.dataPoints) {
        for (const key of Object.keys(point.attributes))
          expect(boundedKeys, `${metric.descriptor.name}: ${key}`).toContain(key);
      }
    }
  });

  it("counts streams per state, and adds up streams of one table from two SDKs on one provider", async () => {
    const a = await observer();
    const b = await observer();
    for (const o of [a, b]) {
      const c = counted(o);
      o.openStarted();
      o.openEnded({ streamId: "s" });
      c.accept(10, 100);
    }
    b.stateChanged("recovering");
    const m = await otel.collect();
    expect(otel.points(m, "zerobus.records.in_flight")).toEqual([{ attributes: base, value: 20 }]);
    expect(sumOf(otel.points(m, "zerobus.streams"), { "zerobus.stream.state": "open" })).toBe(1);
    expect(sumOf(otel.points(m, "zerobus.streams"), { "zerobus.stream.state": "recovering" })).toBe(1);
    expect(otel.points(m, "zerobus.records.accepted")).toEqual([{ attributes: base, value: 20 }]);
  });

  it("reads a recreated stream's seed records as in flight, not accepted again, and keeps a closed stream's counts", async () => {
    const o = await observer();
    // Recreation seeds 4 records (40 bytes) the stream they came from accepted and counted.
    const c = counted(o, { records: 4, bytes: 40 });
    o.openStarted();
    o.openEnded({ streamId: "s-2" });
    c.accept(1, 10);
    let m = await otel.collect();
    expect(otel.points(m, "zerobus.records.accepted")).toEqual([{ attributes: base, value: 1 }]);
    expect(otel.points(m, "zerobus.bytes.accepted")).toEqual([{ attributes: base, value: 10 }]);
    expect(otel.points(m, "zerobus.records.in_flight")).toEqual([{ attributes: base, value: 5 }]);
    c.ack(4n, 5, 50);
    o.stateChanged("closed");
    c.accept(7, 70); // never happens on a closed stream; the figures were taken when it closed
    m = await otel.collect();
    expect(otel.points(m, "zerobus.records.acknowledged")).toEqual([{ attributes: base, value: 5 }]);
    expect(otel.points(m, "zerobus.bytes.acknowledged")).toEqual([{ attributes: base, value: 50 }]);
    expect(otel.points(m, "zerobus.records.accepted")).toEqual([{ attributes: base, value: 1 }]);
    expect(otel.points(m, "zerobus.records.in_flight")).toEqual([{ attributes: base, value: 0 }]);
  });

  it("counts a failed creation and a failed stream once each in zerobus.errors, by error.type", async () => {
    const refused = new ZerobusError("permission_denied", "no access to the table");
    const never = await observer();
    never.openStarted();
    never.attemptStarted("create", 1);
    never.attemptEnded("create", { error: refused });
    never.openEnded({ error: refused });
    never.failed(refused);

    const broken = await observer();
    broken.openStarted();
    broken.openEnded({ streamId: "s-9" });
    broken.recoveryStarted(unavailable);
    broken.recoveryEnded("failed", unavailable);
    broken.stateChanged("failed", unavailable);
    broken.failed(unavailable);

    const m = await otel.collect();
    expect(otel.points(m, "zerobus.errors")).toEqual([
      { attributes: { ...base, "error.type": "permission_denied" }, value: 1 },
      { attributes: { ...base, "error.type": "unavailable" }, value: 1 },
    ]);
    expect(otel.points(m, "zerobus.recoveries")).toEqual([
      {
        attributes: { ...base, "zerobus.recovery.outcome": "failed", "error.type": "unavailable" },
        value: 1,
      },
    ]);
    // Never open: in no state. Failed: out of the count.
    expect(sumOf(otel.points(m, "zerobus.streams"))).toBe(0);
  });

  it("makes spans: createStream (attempts as events), recovery (root, linked), flush and close under the caller's span", async () => {
    const o = await observer();
    const tracer = otel.tracerProvider.getTracer("user");
    const parent = tracer.startSpan("user work");
    const withParent = (fn: () => void) => context.with(trace.setSpan(context.active(), parent), fn);
    withParent(() => o.openStarted());
    o.attemptStarted("create", 1);
    o.attemptEnded("create", { error: unavailable });
    o.attemptStarted("create", 2);
    o.attemptEnded("create", { streamId: "s-1" });
    o.openEnded({ streamId: "s-1" });
    o.recoveryStarted(unavailable);
    o.attemptStarted("recovery", 1);
    o.attemptEnded("recovery", { streamId: "s-2" });
    o.resent(7, 70);
    o.recoveryEnded("recovered");
    withParent(() => {
      o.flushStarted(1);
      o.flushStarted(2);
    });
    o.flushEnded(new ZerobusError("flush_timeout", "flush gave up"), 2);
    o.flushEnded(undefined, 1);
    withParent(() => o.closeStarted());
    o.closeEnded();
    parent.end();

    const spans = otel.spans();
    const byName = (name: string) => spans.filter((s) => s.name === name);
    const parentId = parent.spanContext().spanId;
    const [creation] = byName("zerobus.create_stream");
    expect(creation?.parentSpanContext?.spanId).toBe(parentId);
    expect(creation?.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(creation?.attributes).toMatchObject({
      ...base,
      "zerobus.record_type": "json",
      "zerobus.stream.id": "s-1",
    });
    expect(creation?.events.map((e) => e.attributes)).toEqual([
      {
        "zerobus.connection.attempt": 1,
        "zerobus.connection.reason": "create",
        "zerobus.connection.outcome": "failed",
        "error.type": "unavailable",
      },
      {
        "zerobus.connection.attempt": 2,
        "zerobus.connection.reason": "create",
        "zerobus.connection.outcome": "created",
        "zerobus.stream.id": "s-1",
      },
    ]);
    expect(creation?.status.code).toBe(SpanStatusCode.UNSET);

    const [recovery] = byName("zerobus.recovery");
    expect(recovery?.parentSpanContext).toBeUndefined();
    expect(recovery?.spanContext().traceId).not.toBe(parent.spanContext().traceId);
    expect(recovery?.links.map((l) => l.context.spanId)).toEqual([creation?.spanContext().spanId]);
    expect(recovery?.attributes).toMatchObject({
      "zerobus.recovery.cause": "unavailable",
      "zerobus.recovery.outcome": "recovered",
      "zerobus.records.resent": 7,
      "zerobus.stream.id": "s-2",
    });
    expect(recovery?.events).toHaveLength(1);

    const flushes = byName("zerobus.flush");
    expect(flushes).toHaveLength(2);
    expect(flushes.map((s) => s.parentSpanContext?.spanId)).toEqual([parentId, parentId]);
    // The second flush ended first, with the error: pairs by call number, not by order.
    expect(flushes[0]?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: "[flush_timeout] flush gave up",
    });
    expect(flushes[0]?.attributes["error.type"]).toBe("flush_timeout");
    expect(flushes[0]?.events.map((e) => e.name)).toEqual(["exception"]);
    expect(flushes[1]?.status.code).toBe(SpanStatusCode.UNSET);
    const [close] = byName("zerobus.close");
    expect(close?.parentSpanContext?.spanId).toBe(parentId);
  });

  it("marks a failed creation and a failed recovery ERROR with the error; an abandoned recovery is not an error", async () => {
    const denied = new ZerobusError("permission_denied", "no access");
    const a = await observer();
    a.openStarted();
    a.attemptStarted("create", 1);
    a.attemptEnded("create", { error: denied });
    a.openEnded({ error: denied });
    const b = await observer();
    b.openStarted();
    b.openEnded({ streamId: "s" });
    b.recoveryStarted(unavailable);
    b.recoveryEnded("failed", unavailable);
    b.recoveryStarted(unavailable);
    b.recoveryEnded("abandoned");

    const spans = otel.spans();
    const creation = spans.find(
      (s) => s.name === "zerobus.create_stream" && s.status.code === SpanStatusCode.ERROR,
    );
    expect(creation?.attributes["error.type"]).toBe("permission_denied");
    expect(creation?.events.find((e) => e.name === "exception")?.attributes?.["exception.message"]).toBe(
      denied.message,
    );
    const recoveries = spans.filter((s) => s.name === "zerobus.recovery");
    expect(recoveries.map((s) => [s.attributes["zerobus.recovery.outcome"], s.status.code])).toEqual([
      ["failed", SpanStatusCode.ERROR],
      ["abandoned", SpanStatusCode.UNSET],
    ]);
    expect(recoveries[0]?.attributes["error.type"]).toBe("unavailable");
  });

  it("uses the global providers with `true`", async () => {
    const { metrics } = await import("@opentelemetry/api");
    metrics.setGlobalMeterProvider(otel.meterProvider);
    try {
      const o = (await loadTelemetry(true))(stream);
      o.openStarted();
      const c = counted(o);
      o.openEnded({ streamId: "g" });
      c.accept(4, 8);
      const m = await otel.collect();
      expect(otel.points(m, "zerobus.records.accepted")).toEqual([{ attributes: base, value: 4 }]);
    } finally {
      metrics.disable();
    }
  });
});

describe("loadTelemetry without @opentelemetry/api", () => {
  it("rejects with failed_precondition naming the package to install", async () => {
    const missing = Object.assign(new Error("Cannot find package '@opentelemetry/api'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const error = await loadTelemetry(true, () => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZerobusError);
    expect(error).toMatchObject({ code: "failed_precondition", retryable: false, cause: missing });
    expect((error as ZerobusError).rawMessage).toBe(MISSING_OTEL_API);
    expect(MISSING_OTEL_API).toBe("telemetry needs @opentelemetry/api: npm install @opentelemetry/api");
  });

  it("passes on another failure of the import as it is (the package threw, it is not missing)", async () => {
    const broken = new TypeError("boom");
    const error = await loadTelemetry(true, () => Promise.reject(broken)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unknown", cause: broken });
  });
});
