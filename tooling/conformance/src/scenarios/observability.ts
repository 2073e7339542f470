import type { AckProgress } from "@zerobus/core";
import { GrpcStatusCode } from "@zerobus/mock-server";
import { afterEach, describe, expect, it } from "vitest";
import { expectRejection, jsonRecords } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";
import { ObservedEvents } from "../observed-events.js";

/**
 * Observability (issue 18): what a `node:diagnostics_channel` subscriber sees and what `onAck` reports,
 * through real faults of the mock server. The moments are the core stream's, so both backends (and the
 * SDK over either) must publish the same events.
 */
export function observabilityScenarios(h: Harness, on: TagFilter): void {
  if (!on("observability")) return;
  describe("observability", () => {
    let observed: ObservedEvents | undefined;
    const observe = (table: string) => {
      observed = new ObservedEvents(table);
      return observed;
    };
    afterEach(() => {
      observed?.stop();
      observed = undefined;
    });
    const ackCounter = () => {
      const acks: { upTo: bigint; ack: AckProgress }[] = [];
      return { acks, onAck: (upTo: bigint, ack: AckProgress) => acks.push({ upTo, ack }) };
    };

    it("publishes open, attempts, headers, accepts, acks, flush and close with the records sent", async () => {
      const table = h.table();
      const events = observe(table);
      const { acks, onAck } = ackCounter();
      const stream = await h.open(table, { events: { onAck } });
      const records = jsonRecords(7);
      for (const record of records.slice(0, 4)) await stream.ingestRecord(record);
      await stream.ingestRecords(records.slice(4));
      await stream.flush();
      await stream.close();
      await expectRejection(stream.ingestRecord(records[0]!), { code: "stream_closed" });

      const streamId = stream.streamId;
      expect(streamId).toBeTruthy();
      expect(events.of("zerobus:stream:open").map((m) => [m.phase, m.streamId, "error" in m])).toEqual([
        ["start", undefined, false],
        ["end", streamId, false],
      ]);
      expect(events.of("zerobus:stream:attempt").map((m) => [m.phase, m.reason, m.attempt])).toEqual([
        ["start", "create", 1],
        ["end", "create", 1],
      ]);
      const headers = events.of("zerobus:stream:headers");
      expect(headers.map((m) => m.reason)).toEqual(["create"]);
      expect(headers[0]!.durationMs).toBeGreaterThanOrEqual(0);
      expect(JSON.stringify(headers[0], (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(
        /Bearer|authorization/i,
      );
      // Every message names its table, backend and current stream id.
      for (const { message } of events.events) expect(["js", "native"]).toContain(message.backend);
      expect(events.of("zerobus:stream:accept").map((m) => m.records)).toEqual([1, 1, 1, 1, 3]);
      expect(events.sum("zerobus:stream:accept", "records")).toBe(7);
      expect(events.sum("zerobus:stream:ack", "records")).toBe(7);
      const stats = stream.stats();
      expect(events.sum("zerobus:stream:accept", "bytes")).toBe(stats.bytesAccepted);
      expect(events.sum("zerobus:stream:ack", "bytes")).toBe(stats.bytesAccepted);
      const ackMessages = events.of("zerobus:stream:ack");
      expect(ackMessages.at(-1)!.upTo).toBe(4n);
      expect(ackMessages.every((m) => m.streamId === streamId)).toBe(true);
      expect(acks.map(({ upTo }) => upTo)).toEqual(ackMessages.map((m) => m.upTo));
      expect(acks.reduce((sum, { ack }) => sum + ack.records, 0)).toBe(7);
      expect(acks.reduce((sum, { ack }) => sum + ack.bytes, 0)).toBe(stats.bytesAccepted);
      expect(events.of("zerobus:stream:flush").map((m) => [m.phase, m.call])).toEqual([
        ["start", 1],
        ["end", 1],
      ]);
      expect(events.of("zerobus:stream:close").map((m) => [m.phase, "error" in m])).toEqual([
        ["start", false],
        ["end", false],
      ]);
      expect(events.of("zerobus:stream:state").map((m) => m.state)).toEqual(["closing", "closed"]);
      const refused = events.of("zerobus:stream:refused");
      expect(refused.map((m) => m.error.code)).toEqual(["stream_closed"]);
      expect(events.of("zerobus:stream:error")).toEqual([]);
      expect(events.of("zerobus:stream:recovery")).toEqual([]);
    });

    it("reports a recovery: its cause, the attempt's reason, the records re-sent, recovered", async () => {
      const table = h.table();
      h.server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 3 } }]);
      const events = observe(table);
      const { acks, onAck } = ackCounter();
      const stream = await h.open(table, { events: { onAck } });
      const first = stream.streamId;
      const records = jsonRecords(5);
      for (const record of records) await stream.ingestRecord(record);
      await stream.flush();
      h.server.table(table).assertDelivered(records);
      const stats = stream.stats();
      expect(stats.recoveries).toBe(1);

      expect(events.of("zerobus:stream:attempt").map((m) => [m.phase, m.reason, m.attempt])).toEqual([
        ["start", "create", 1],
        ["end", "create", 1],
        ["start", "recovery", 1],
        ["end", "recovery", 1],
      ]);
      expect(h.reasons(table)).toEqual(["create", "recovery"]);
      expect(events.of("zerobus:stream:headers").map((m) => m.reason)).toEqual(["create", "recovery"]);
      const recovery = events.of("zerobus:stream:recovery");
      expect(recovery.map((m) => m.phase)).toEqual(["start", "end"]);
      expect(recovery[0]).toMatchObject({ phase: "start", streamId: first, cause: { code: "unavailable" } });
      expect(recovery[1]).toMatchObject({ phase: "end", outcome: "recovered" });
      expect(recovery[1]!.streamId).toBe(stream.streamId);
      expect(stream.streamId).not.toBe(first);
      const resent = events.sum("zerobus:stream:resend", "records");
      expect(resent).toBeGreaterThanOrEqual(3);
      expect(resent).toBe(stats.recordsResent);
      expect(events.of("zerobus:stream:state").map((m) => m.state)).toEqual(["recovering", "open"]);
      expect(events.of("zerobus:stream:state")[0]!.reason?.code).toBe("unavailable");
      // Each record is acknowledged once, whatever was re-sent.
      expect(events.sum("zerobus:stream:accept", "records")).toBe(5);
      expect(events.sum("zerobus:stream:ack", "records")).toBe(5);
      expect(events.of("zerobus:stream:ack").at(-1)!.upTo).toBe(4n);
      expect(acks.reduce((sum, { ack }) => sum + ack.records, 0)).toBe(5);
    });

    it("reports a close signal and the reconnection it causes", async () => {
      const table = h.table();
      h.server.script(table, [{ closeSignal: { seconds: 2 }, after: { records: 2 } }]);
      const events = observe(table);
      const { acks, onAck } = ackCounter();
      const stream = await h.open(table, { events: { onAck } });
      const records = jsonRecords(5);
      await stream.waitForOffset(await stream.ingestRecord(records[0]!));
      await stream.waitForOffset(await stream.ingestRecord(records[1]!));
      await h.server.table(table).waitForConnections(2, { timeoutMs: 8_000 });
      for (const record of records.slice(2)) await stream.ingestRecord(record);
      await stream.flush();

      const signals = events.of("zerobus:stream:close-signal");
      expect(signals).toHaveLength(1);
      // The server's duration where the connection sees it (2 s); 0 where it learns of the signal only once
      // the pause is over (native: the Rust core pauses itself and does not report the duration).
      expect([2_000, 0]).toContain(signals[0]!.durationMs);
      const recovery = events.of("zerobus:stream:recovery");
      expect(recovery.map((m) => [m.phase, "cause" in m])).toEqual([
        ["start", false],
        ["end", false],
      ]);
      expect(recovery[1]).toMatchObject({ outcome: "recovered" });
      expect(
        events
          .of("zerobus:stream:attempt")
          .filter((m) => m.phase === "start")
          .map((m) => m.reason),
      ).toEqual(["create", "recovery"]);
      expect(events.of("zerobus:stream:state").map((m) => m.state)).toEqual(["paused", "recovering", "open"]);
      expect(events.sum("zerobus:stream:ack", "records")).toBe(5);
      expect(acks.reduce((sum, { ack }) => sum + ack.records, 0)).toBe(5);
    });

    it("reports an UNAUTHENTICATED refresh: the attempt and the headers fetch have reason unauthenticated", async () => {
      const table = h.table();
      const events = observe(table);
      const { acks, onAck } = ackCounter();
      const stream = await h.open(table, { events: { onAck } });
      const records = jsonRecords(4);
      await stream.ingestRecord(records[0]!);
      await stream.ingestRecord(records[1]!);
      await stream.flush();
      expect(h.server.revokeTokens()).toBeGreaterThan(0);
      await h.server.table(table).waitForConnections(2, { timeoutMs: 8_000 });
      await stream.ingestRecord(records[2]!);
      await stream.ingestRecord(records[3]!);
      await stream.flush();
      h.server.table(table).assertDelivered(records);

      expect(h.reasons(table)).toEqual(["create", "unauthenticated"]);
      expect(
        events
          .of("zerobus:stream:attempt")
          .filter((m) => m.phase === "end")
          .map((m) => [m.reason, m.attempt, "error" in m]),
      ).toEqual([
        ["create", 1, false],
        ["unauthenticated", 1, false],
      ]);
      expect(events.of("zerobus:stream:headers").map((m) => m.reason)).toEqual(["create", "unauthenticated"]);
      const recovery = events.of("zerobus:stream:recovery");
      expect(recovery[0]).toMatchObject({ phase: "start", cause: { code: "unauthenticated" } });
      expect(recovery[1]).toMatchObject({ phase: "end", outcome: "recovered" });
      expect(recovery).toHaveLength(2);
      expect(events.sum("zerobus:stream:ack", "records")).toBe(4);
      expect(acks.reduce((sum, { ack }) => sum + ack.records, 0)).toBe(4);
    });

    it("reports a failed recovery and the stream's failure once", async () => {
      const table = h.table();
      h.server.script(table, [
        { ack: "never" },
        { fail: GrpcStatusCode.UNAVAILABLE, after: { records: 2 } },
        ...Array.from({ length: 4 }, () => ({ failCreate: GrpcStatusCode.UNAVAILABLE })),
      ]);
      const events = observe(table);
      const stream = await h.open(table, { options: { recoveryRetries: 1 } });
      await stream.ingestRecord(jsonRecords(1)[0]!);
      await stream.ingestRecord(jsonRecords(1, 1)[0]!);
      await expectRejection(stream.flush(), { code: "unavailable" });

      expect(
        events
          .of("zerobus:stream:attempt")
          .filter((m) => m.phase === "end")
          .map((m) => [m.reason, m.attempt, m.phase === "end" && m.error?.code]),
      ).toEqual([
        ["create", 1, undefined],
        ["recovery", 1, "unavailable"],
        ["recovery", 2, "unavailable"],
      ]);
      const recovery = events.of("zerobus:stream:recovery");
      expect(recovery.map((m) => m.phase)).toEqual(["start", "end"]);
      expect(recovery[1]).toMatchObject({ outcome: "failed", error: { code: "unavailable" } });
      const errors = events.of("zerobus:stream:error");
      expect(errors).toHaveLength(1);
      expect(errors[0]!.error.code).toBe("unavailable");
      expect(events.of("zerobus:stream:state").map((m) => m.state)).toEqual(["recovering", "failed"]);
      expect(events.of("zerobus:stream:flush").at(-1)).toMatchObject({
        phase: "end",
        error: { code: "unavailable" },
      });
      expect(events.sum("zerobus:stream:ack", "records")).toBe(0);
    });

    it("reports a non-retryable failure without a recovery, and a failed creation", async () => {
      const table = h.table();
      h.server.script(table, [
        { ack: "never" },
        { fail: { code: GrpcStatusCode.PERMISSION_DENIED, details: "no" }, after: { records: 1 } },
      ]);
      const events = observe(table);
      const stream = await h.open(table);
      await stream.ingestRecord(jsonRecords(1)[0]!);
      await expectRejection(stream.flush(), { code: "permission_denied" });
      expect(events.of("zerobus:stream:recovery")).toEqual([]);
      expect(events.of("zerobus:stream:error").map((m) => m.error.code)).toEqual(["permission_denied"]);
      expect(events.of("zerobus:stream:error")[0]!.streamId).toBe(stream.streamId);
      observed?.stop();

      const missing = h.table();
      h.server.script(missing, [{ failCreate: GrpcStatusCode.NOT_FOUND }]);
      const creation = observe(missing);
      await expectRejection(h.open(missing), { code: "not_found" });
      const open = creation.of("zerobus:stream:open");
      expect(open.map((m) => m.phase)).toEqual(["start", "end"]);
      expect(open[1]).toMatchObject({ error: { code: "not_found" } });
      expect(creation.of("zerobus:stream:attempt").map((m) => [m.phase, m.reason, m.attempt])).toEqual([
        ["start", "create", 1],
        ["end", "create", 1],
      ]);
    });
  });
}
