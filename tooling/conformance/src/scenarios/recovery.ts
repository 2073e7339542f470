import { GrpcStatusCode } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import { expectRejection, jsonRecords, jsonTextsOf } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";

/** Recovery (PROTOCOL.md A.4) and terminal failures (A.7, A.8, A.14). */
export function recoveryScenarios(h: Harness, on: TagFilter): void {
  if (on("recovery"))
    describe("recovery", () => {
      it("reconnects after UNAVAILABLE and re-sends unacknowledged records first, in order", async () => {
        const table = h.table();
        h.server.script(table, [
          { ack: "never" },
          { fail: GrpcStatusCode.UNAVAILABLE, after: { records: 3 } },
          { ack: "immediate" },
        ]);
        const stream = await h.open(table);
        const records = jsonRecords(5);
        const offsets = await Promise.all(records.map((record) => stream.ingestRecord(record)));
        expect(offsets).toEqual([0n, 1n, 2n, 3n, 4n]);
        await stream.flush();
        const recording = h.server.table(table);
        const { duplicates } = recording.assertDelivered(records);
        expect(recording.connections.length).toBeGreaterThanOrEqual(2);
        const resent = jsonTextsOf(recording.connections[1]);
        expect(resent).toEqual(records.slice(0, resent.length));
        expect(resent.length).toBeGreaterThanOrEqual(3);
        expect(h.reasons(table)).toEqual(["create", "recovery"]);
        const stats = stream.stats();
        expect(stats.recoveries).toBe(1);
        expect(stats.recordsResent).toBeGreaterThanOrEqual(duplicates);
        expect(stats.recordsResent).toBeGreaterThanOrEqual(3);
        expect(stream.state).toBe("open");
        expect(await stream.ingestRecord(jsonRecords(1, 5)[0]!)).toBe(5n);
      });

      it("fails after recoveryRetries with every unacknowledged record retrievable", async () => {
        const table = h.table();
        h.server.script(table, [
          { ack: "never" },
          { fail: GrpcStatusCode.UNAVAILABLE, after: { records: 4 } },
          ...Array.from({ length: 8 }, () => ({ failCreate: GrpcStatusCode.UNAVAILABLE })),
        ]);
        const errors: unknown[] = [];
        const stream = await h.open(table, {
          options: { recoveryRetries: 2 },
          events: { onError: (e) => errors.push(e) },
        });
        const records = jsonRecords(4);
        await stream.ingestRecords(records.slice(0, 2));
        await stream.ingestRecord(records[2]!);
        await stream.ingestRecord(records[3]!);
        await expectRejection(stream.flush(), { code: "unavailable", retryable: true });
        expect(stream.state).toBe("failed");
        expect(errors).toHaveLength(1);
        expect(stream.getUnackedRecords()).toEqual(records);
        expect(stream.getUnackedBatches()).toEqual([records.slice(0, 2), [records[2]], [records[3]]]);
        // 1 connection before the failure, then 1 + recoveryRetries attempts.
        expect(h.server.table(table).connections).toHaveLength(4);
        await expectRejection(stream.ingestRecord(records[0]!), { code: "stream_closed", retryable: false });
      });

      for (const [name, status, code] of [
        ["PERMISSION_DENIED", GrpcStatusCode.PERMISSION_DENIED, "permission_denied"],
        ["INVALID_ARGUMENT", GrpcStatusCode.INVALID_ARGUMENT, "invalid_argument"],
      ] as const) {
        it(`does not recover from ${name} mid-stream and keeps the gRPC code`, async () => {
          const table = h.table();
          h.server.script(table, [
            { ack: "never" },
            { fail: { code: status, details: `${name} from server` }, after: { records: 2 } },
          ]);
          const stream = await h.open(table);
          const records = jsonRecords(2);
          const pending = records.map((record) =>
            stream.ingestRecord(record).then((offset) => stream.waitForOffset(offset)),
          );
          for (const wait of pending)
            await expectRejection(wait, { code, retryable: false, grpcCode: status });
          expect(stream.state).toBe("failed");
          expect(h.server.table(table).connections).toHaveLength(1);
          expect(stream.getUnackedRecords()).toEqual(records);
        });
      }

      it("recovers when the server ends the stream cleanly", async () => {
        const table = h.table();
        h.server.script(table, [
          { ack: "never" },
          { end: true, after: { records: 2 } },
          { ack: "immediate" },
        ]);
        const stream = await h.open(table);
        const records = jsonRecords(3);
        for (const record of records) await stream.ingestRecord(record);
        await stream.flush();
        h.server.table(table).assertDelivered(records);
        expect(h.server.table(table).connections.length).toBeGreaterThanOrEqual(2);
        expect(stream.stats().recoveries).toBe(1);
      });

      it("fails terminally with recovery off", async () => {
        const table = h.table();
        h.server.script(table, [
          { ack: "never" },
          { fail: GrpcStatusCode.UNAVAILABLE, after: { records: 1 } },
        ]);
        const stream = await h.open(table, { options: { recovery: false } });
        await stream.ingestRecord(jsonRecords(1)[0]!);
        await expectRejection(stream.flush(), { code: "unavailable", retryable: true, grpcCode: 14 });
        expect(stream.state).toBe("failed");
        expect(h.server.table(table).connections).toHaveLength(1);
      });

      it("counts reconnections to an accept-then-drop server against recoveryRetries", async () => {
        const table = h.table();
        h.server.script(table, [
          { ack: "never" },
          { fail: GrpcStatusCode.UNAVAILABLE, after: { records: 1 } },
          ...Array.from({ length: 12 }, () => ({ acceptThenDrop: true as const })),
        ]);
        const stream = await h.open(table, { options: { recoveryRetries: 2, recoveryBackoffMs: 20 } });
        await stream.ingestRecord(jsonRecords(1)[0]!);
        await expectRejection(stream.flush({ signal: AbortSignal.timeout(5_000) }), {
          code: "unavailable",
          retryable: true,
        });
        expect(stream.state).toBe("failed");
        // The first connection, then 1 + recoveryRetries attempts that were accepted and dropped.
        expect(h.server.table(table).connections).toHaveLength(4);
      });
    });
}
