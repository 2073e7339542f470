// Every metric and span of the OpenTelemetry recorder through real streams on both backends, against the
// mock server's real faults: a recovery, a close signal, an UNAUTHENTICATED refresh, failed streams. The
// values are checked against what the test sent and the time the run took.
import type { Span } from "@opentelemetry/api";
import { SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer, GrpcStatusCode } from "@zerobus/mock-server";
import type { CreateStreamOptions, JsonRecord, ZerobusStream } from "@zerobus/sdk";
import { isZerobusError, ZerobusSdk } from "@zerobus/sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OtelHarness } from "./otel-harness.js";
import { otelHarness, sumOf } from "./otel-harness.js";

/** The backends built on this machine: js always, native when its addon loads. */
function builtBackends(): ("js" | "native")[] {
  try {
    new ZerobusSdk("http://127.0.0.1:1", undefined, { backend: "native", allowInsecure: true });
    return ["js", "native"];
  } catch {
    return ["js"];
  }
}

let server: MockServer;
let tables = 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await server.close();
});

/** Waits until `check` holds (polling), or fails naming `what`. */
async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

for (const backend of builtBackends()) {
  describe(`telemetry on ${backend}`, () => {
    let otel: OtelHarness;
    let sdk: ZerobusSdk;
    let table: string;
    let base: Record<string, unknown>;

    beforeEach(() => {
      otel = otelHarness();
      table = `main.otel_${backend}.t${++tables}`;
      const url = new URL(server.endpoint);
      base = {
        "zerobus.table": table,
        "zerobus.backend": backend,
        "server.address": url.hostname,
        "server.port": Number(url.port),
      };
      sdk = new ZerobusSdk(server.endpoint, server.workspaceUrl, {
        allowInsecure: true,
        backend,
        telemetry: { meterProvider: otel.meterProvider, tracerProvider: otel.tracerProvider },
      });
    });
    afterEach(async () => {
      await sdk.close();
      await otel.shutdown();
      server.reset();
    });

    /** Runs `fn` with the user's span active, as an application's request handler would. */
    async function inUserSpan<T>(fn: (span: Span) => Promise<T>): Promise<T> {
      const tracer = otel.tracerProvider.getTracer("the-app");
      return tracer.startActiveSpan("handle request", async (span) => {
        try {
          return await fn(span);
        } finally {
          span.end();
        }
      });
    }

    /** A JSON stream with OAuth against the mock's token endpoint (token fetches are real HTTP calls). */
    const open = (options: CreateStreamOptions = {}): Promise<ZerobusStream<JsonRecord | string, string>> =>
      sdk.createStream<JsonRecord>(
        table,
        server.credentials.clientId,
        server.credentials.clientSecret,
        options,
      );
    const spansNamed = (name: string): ReadableSpan[] => otel.spans().filter((s) => s.name === name);

    it("a recovery: counts equal to what was sent, latencies within the run, spans under the caller's", async () => {
      server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 3 } }]);
      const records = Array.from({ length: 10 }, (_, i) => JSON.stringify({ id: i, note: "é".repeat(i) }));
      const bytes = records.reduce((sum, r) => sum + Buffer.byteLength(r), 0);
      const startedAt = performance.now();
      const { user, stream, firstStreamId } = await inUserSpan(async (user) => {
        const stream = await open({ recoveryBackoffMs: 10 });
        const firstStreamId = stream.streamId;
        for (const record of records) await stream.ingestRecord(record);
        await stream.flush();
        await stream.close();
        return { user, stream, firstStreamId };
      });
      const elapsedS = (performance.now() - startedAt) / 1000;
      const stats = stream.stats();
      expect(stats.recoveries).toBe(1);
      expect(stats.recordsResent).toBeGreaterThan(0);
      const m = await otel.collect();

      expect(otel.points(m, "zerobus.records.accepted")).toEqual([{ attributes: base, value: 10 }]);
      expect(otel.points(m, "zerobus.bytes.accepted")).toEqual([{ attributes: base, value: bytes }]);
      expect(otel.points(m, "zerobus.records.acknowledged")).toEqual([{ attributes: base, value: 10 }]);
      expect(otel.points(m, "zerobus.bytes.acknowledged")).toEqual([{ attributes: base, value: bytes }]);
      expect(otel.points(m, "zerobus.records.resent")).toEqual([
        { attributes: base, value: stats.recordsResent },
      ]);
      expect(sumOf(otel.points(m, "zerobus.bytes.resent"))).toBeGreaterThan(0);
      expect(sumOf(otel.points(m, "zerobus.bytes.resent"))).toBeLessThanOrEqual(bytes);
      // Closed: out of the gauges (their values while open: the next test).
      expect(sumOf(otel.points(m, "zerobus.records.in_flight"))).toBe(0);
      expect(sumOf(otel.points(m, "zerobus.streams"))).toBe(0);
      expect(otel.points(m, "zerobus.recoveries")).toEqual([
        { attributes: { ...base, "zerobus.recovery.outcome": "recovered" }, value: 1 },
      ]);
      const attempts = otel.points(m, "zerobus.connection.attempts");
      expect(attempts).toEqual([
        { attributes: { ...base, "zerobus.connection.reason": "create" }, value: 1 },
        { attributes: { ...base, "zerobus.connection.reason": "recovery" }, value: 1 },
      ]);
      expect(sumOf(otel.points(m, "zerobus.token.fetches"))).toBe(2);
      const fetchTimes = otel.histogramPoints(m, "zerobus.token.fetch.duration");
      expect(fetchTimes.reduce((n, p) => n + p.value.count, 0)).toBe(2);
      for (const p of fetchTimes) expect(p.value.max).toBeLessThanOrEqual(elapsedS);

      const [ack] = otel.histogramPoints(m, "zerobus.ack.duration");
      expect(ack?.attributes).toEqual(base);
      expect(ack?.value.count).toBeGreaterThanOrEqual(1);
      expect(ack?.value.min).toBeGreaterThanOrEqual(0);
      expect(ack?.value.max).toBeLessThanOrEqual(elapsedS);
      expect(ack?.value.sum).toBeLessThanOrEqual((ack?.value.count ?? 0) * elapsedS);
      expect(otel.points(m, "zerobus.errors")).toEqual([]);

      const userId = user.spanContext().spanId;
      const [creation] = spansNamed("zerobus.create_stream");
      expect(creation?.parentSpanContext?.spanId).toBe(userId);
      expect(creation?.attributes).toMatchObject({ ...base, "zerobus.stream.id": firstStreamId });
      expect(creation?.events.map((e) => e.attributes?.["zerobus.connection.outcome"])).toEqual(["created"]);
      const recoveries = spansNamed("zerobus.recovery");
      expect(recoveries).toHaveLength(1);
      const [recovery] = recoveries;
      expect(recovery?.parentSpanContext).toBeUndefined();
      expect(recovery?.links.map((l) => l.context.spanId)).toEqual([creation?.spanContext().spanId]);
      expect(recovery?.attributes).toMatchObject({
        "zerobus.recovery.cause": "unavailable",
        "zerobus.recovery.outcome": "recovered",
        "zerobus.records.resent": stats.recordsResent,
        "zerobus.stream.id": stream.streamId,
      });
      expect(recovery?.attributes["zerobus.stream.id"]).not.toBe(firstStreamId);
      expect(recovery?.events.map((e) => e.attributes?.["zerobus.connection.reason"])).toEqual(["recovery"]);
      expect(recovery?.status.code).toBe(SpanStatusCode.UNSET);
      for (const name of ["zerobus.flush", "zerobus.close"]) {
        const spans = spansNamed(name).filter((s) => s.parentSpanContext?.spanId === userId);
        expect(spans, name).toHaveLength(1);
        expect(spans[0]?.status.code).toBe(SpanStatusCode.UNSET);
      }
    });

    it("records in flight, streams by state and ack latency while the server holds acks back 300 ms", async () => {
      server.script(table, [{ ack: { delayMs: 300 } }]);
      const stream = await open();
      const records = ['{"a":1}', '{"a":22}', '{"a":333}', '{"a":4444}'];
      const startedAt = performance.now();
      for (const record of records) await stream.ingestRecord(record);
      let m = await otel.collect();
      expect(otel.points(m, "zerobus.records.in_flight")).toEqual([{ attributes: base, value: 4 }]);
      expect(otel.points(m, "zerobus.bytes.in_flight")).toEqual([
        { attributes: base, value: 7 + 8 + 9 + 10 },
      ]);
      expect(otel.points(m, "zerobus.streams")).toEqual([
        { attributes: { ...base, "zerobus.stream.state": "open" }, value: 1 },
      ]);
      await stream.flush();
      const elapsedS = (performance.now() - startedAt) / 1000;
      m = await otel.collect();
      expect(otel.points(m, "zerobus.records.in_flight")).toEqual([{ attributes: base, value: 0 }]);
      expect(otel.points(m, "zerobus.bytes.in_flight")).toEqual([{ attributes: base, value: 0 }]);
      const [ack] = otel.histogramPoints(m, "zerobus.ack.duration");
      expect(ack?.value.count).toBeGreaterThanOrEqual(1);
      expect(ack?.value.min).toBeGreaterThanOrEqual(0.29);
      expect(ack?.value.max).toBeLessThanOrEqual(elapsedS);
      await stream.close();
      m = await otel.collect();
      // Closed: the states it was in report 0, not their last value.
      expect(otel.points(m, "zerobus.streams")).toContainEqual({
        attributes: { ...base, "zerobus.stream.state": "open" },
        value: 0,
      });
      expect(otel.points(m, "zerobus.streams").every((p) => p.value === 0)).toBe(true);
      expect(otel.points(m, "zerobus.records.in_flight")).toEqual([{ attributes: base, value: 0 }]);
    });

    it("a close signal: counted, and the reconnection after it is a recovery span caused by it", async () => {
      server.script(table, [{ closeSignal: { nanos: 200_000_000 }, after: { records: 2 } }]);
      const stream = await open();
      await stream.ingestRecordsAndWait([{ a: 1 }, { a: 2 }]);
      await until("the reconnection after the close signal", () => stream.stats().connections === 2);
      await stream.ingestRecordAndWait({ a: 3 });
      await stream.close();
      const m = await otel.collect();
      expect(otel.points(m, "zerobus.close_signals")).toEqual([{ attributes: base, value: 1 }]);
      expect(otel.points(m, "zerobus.records.acknowledged")).toEqual([{ attributes: base, value: 3 }]);
      expect(otel.points(m, "zerobus.recoveries")).toEqual([
        { attributes: { ...base, "zerobus.recovery.outcome": "recovered" }, value: 1 },
      ]);
      expect(
        sumOf(otel.points(m, "zerobus.connection.attempts"), { "zerobus.connection.reason": "recovery" }),
      ).toBe(1);
      const [recovery] = spansNamed("zerobus.recovery");
      expect(recovery?.attributes["zerobus.recovery.cause"]).toBe("close_signal");
      expect(recovery?.attributes["zerobus.recovery.outcome"]).toBe("recovered");
    });

    it("an UNAUTHENTICATED refresh: an attempt and a token fetch by reason unauthenticated", async () => {
      const stream = await open();
      await stream.ingestRecordAndWait({ a: 1 });
      expect(server.revokeTokens()).toBeGreaterThan(0);
      await until("the refreshed connection", () => stream.stats().connections === 2);
      await stream.ingestRecordAndWait({ a: 2 });
      await stream.close();
      const m = await otel.collect();
      const attempts = otel.points(m, "zerobus.connection.attempts");
      expect(attempts).toContainEqual({
        attributes: { ...base, "zerobus.connection.reason": "unauthenticated" },
        value: 1,
      });
      expect(sumOf(attempts, { "zerobus.connection.reason": "create" })).toBe(1);
      expect(
        sumOf(otel.points(m, "zerobus.token.fetches"), { "zerobus.connection.reason": "unauthenticated" }),
      ).toBe(1);
      expect(
        otel
          .histogramPoints(m, "zerobus.token.fetch.duration")
          .find((p) => p.attributes["zerobus.connection.reason"] === "unauthenticated")?.value.count,
      ).toBe(1);
      expect(otel.points(m, "zerobus.records.acknowledged")).toEqual([{ attributes: base, value: 2 }]);
      const [recovery] = spansNamed("zerobus.recovery");
      expect(recovery?.attributes).toMatchObject({
        "zerobus.recovery.cause": "unauthenticated",
        "zerobus.recovery.outcome": "recovered",
      });
      expect(recovery?.events.map((e) => e.attributes?.["zerobus.connection.reason"])).toContain(
        "unauthenticated",
      );
    });

    it("a creation the server refuses: an ERROR span under the caller's, an error and a failed attempt by error.type", async () => {
      server.script(table, [{ failCreate: GrpcStatusCode.PERMISSION_DENIED }]);
      const { user, error } = await inUserSpan(async (user) => ({
        user,
        error: await open().catch((e: unknown) => e),
      }));
      expect(isZerobusError(error) && error.code).toBe("permission_denied");
      const m = await otel.collect();
      expect(otel.points(m, "zerobus.errors")).toEqual([
        { attributes: { ...base, "error.type": "permission_denied" }, value: 1 },
      ]);
      expect(otel.points(m, "zerobus.connection.attempts")).toEqual([
        {
          attributes: { ...base, "zerobus.connection.reason": "create", "error.type": "permission_denied" },
          value: 1,
        },
      ]);
      expect(sumOf(otel.points(m, "zerobus.streams"))).toBe(0);
      const [creation] = spansNamed("zerobus.create_stream");
      expect(creation?.parentSpanContext?.spanId).toBe(user.spanContext().spanId);
      expect(creation?.status.code).toBe(SpanStatusCode.ERROR);
      expect(creation?.attributes["error.type"]).toBe("permission_denied");
      expect(creation?.events.map((e) => e.name)).toEqual(["zerobus.connection.attempt", "exception"]);
    });

    it("a stream whose recovery the server refuses: failed recovery span, the error, refusals after it", async () => {
      server.script(table, [
        { fail: GrpcStatusCode.UNAVAILABLE, after: { records: 1 } },
        { failCreate: GrpcStatusCode.PERMISSION_DENIED },
      ]);
      const stream = await open({ recoveryBackoffMs: 10 });
      await stream.ingestRecordAndWait({ a: 1 });
      await until("the stream to fail", () => stream.state === "failed");
      const refused = await stream.ingestRecord({ a: 2 }).catch((e: unknown) => e);
      expect(isZerobusError(refused)).toBe(true);
      const m = await otel.collect();
      expect(otel.points(m, "zerobus.errors")).toEqual([
        { attributes: { ...base, "error.type": "permission_denied" }, value: 1 },
      ]);
      expect(otel.points(m, "zerobus.recoveries")).toEqual([
        {
          attributes: { ...base, "zerobus.recovery.outcome": "failed", "error.type": "permission_denied" },
          value: 1,
        },
      ]);
      expect(sumOf(otel.points(m, "zerobus.refusals"))).toBeGreaterThanOrEqual(1);
      expect(
        otel.points(m, "zerobus.refusals").every((p) => typeof p.attributes["error.type"] === "string"),
      ).toBe(true);
      expect(sumOf(otel.points(m, "zerobus.streams"))).toBe(0);
      const [recovery] = spansNamed("zerobus.recovery");
      expect(recovery?.status.code).toBe(SpanStatusCode.ERROR);
      expect(recovery?.attributes).toMatchObject({
        "zerobus.recovery.outcome": "failed",
        "error.type": "permission_denied",
      });
    });
  });
}
