import { GrpcStatusCode } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import { expectRejection, jsonRecords, jsonTextsOf } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";

/** A stream closed while the server withheld every ack: its close timed out with two records unacknowledged. */
async function closedWithUnackedRecords(h: Harness) {
  const table = h.table();
  h.server.setAckPolicy(table, "never");
  const stream = await h.open(table, { options: { flushTimeoutMs: 300 } });
  const records = jsonRecords(2);
  for (const record of records) await stream.ingestRecord(record);
  await expectRejection(stream.close(), { code: "flush_timeout" });
  return { table, stream, records };
}

/** Unacknowledged records (A.8, A.9), flush timeouts and recreation. */
export function unackedAndRecreateScenarios(h: Harness, on: TagFilter): void {
  if (on("unacked"))
    describe("unacknowledged records", () => {
      it("keeps the stream open with its records retrievable when flush times out", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const stream = await h.open(table, { options: { flushTimeoutMs: 300 } });
        const records = jsonRecords(3);
        for (const record of records) await stream.ingestRecord(record);
        const started = performance.now();
        await expectRejection(stream.flush(), { code: "flush_timeout", retryable: true });
        expect(performance.now() - started).toBeGreaterThanOrEqual(290);
        expect(stream.state).toBe("open");
        expect(stream.getUnackedRecords()).toEqual(records);
        h.server.releaseAcks(table);
        await stream.waitForOffset(2n);
        expect(stream.getUnackedRecords()).toEqual([]);
      });

      it("gives a snapshot of unacknowledged records and batches on an open stream", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const stream = await h.open(table);
        const records = jsonRecords(4);
        await stream.ingestRecord(records[0]!);
        await stream.ingestRecords(records.slice(1, 3));
        await stream.ingestRecord(records[3]!);
        const snapshot = stream.getUnackedRecords();
        expect(snapshot).toEqual(records);
        expect(stream.getUnackedBatches()).toEqual([[records[0]], records.slice(1, 3), [records[3]]]);
        snapshot.pop();
        expect(stream.getUnackedRecords()).toEqual(records);
        expect(stream.stats()).toMatchObject({ recordsInFlight: 4, recordsAcked: 0 });
      });

      it("rejects close on a failed stream with the failure", async () => {
        const table = h.table();
        h.server.script(table, [
          { ack: "never" },
          { fail: GrpcStatusCode.PERMISSION_DENIED, after: { records: 1 } },
        ]);
        const stream = await h.open(table);
        await stream.ingestRecord(jsonRecords(1)[0]!);
        await expectRejection(stream.flush(), { code: "permission_denied" });
        await expectRejection(stream.close(), { code: "permission_denied", retryable: false });
        await expectRejection(stream.close(), { code: "permission_denied", retryable: false });
      });

      it("keeps unacknowledged records after a close whose flush timed out", async () => {
        const { stream, records } = await closedWithUnackedRecords(h);
        expect(stream.state).toBe("closed");
        expect(stream.getUnackedRecords()).toEqual(records);
      });
    });

  if (on("recreate"))
    describe("recreation", () => {
      it("recreates a failed stream, sending its unacknowledged records first", async () => {
        const table = h.table();
        h.server.script(table, [
          { ack: "never" },
          { fail: GrpcStatusCode.INVALID_ARGUMENT, after: { records: 3 } },
          { ack: "immediate" },
        ]);
        const stream = await h.open(table);
        const records = jsonRecords(3);
        await stream.ingestRecords(records.slice(0, 2));
        await stream.ingestRecord(records[2]!);
        await expectRejection(stream.flush(), { code: "invalid_argument" });
        const next = await stream.recreate();
        expect(next.state).toBe("open");
        const more = jsonRecords(2, 3);
        expect(await next.ingestRecord(more[0]!)).toBe(2n);
        await next.ingestRecord(more[1]!);
        await next.flush();
        expect(jsonTextsOf(h.server.table(table).connections[1])).toEqual([...records, ...more]);
        expect(next.getUnackedRecords()).toEqual([]);
      });

      it("recreates a closed stream whose close timed out", async () => {
        const { table, stream, records } = await closedWithUnackedRecords(h);
        h.server.setAckPolicy(table, "immediate");
        const next = await stream.recreate();
        await next.flush();
        expect(jsonTextsOf(h.server.table(table).connections[1])).toEqual(records);
      });

      it("refuses to recreate an open stream", async () => {
        const stream = await h.open(h.table());
        await expectRejection(stream.recreate(), { code: "invalid_state", retryable: false });
      });
    });
}
