import { GrpcStatusCode } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import { expectRejection, isPendingAfter, jsonRecords } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";

/** Counts event-loop turns while `promise` is pending, up to `turns`. */
function turnsWhilePending(promise: Promise<unknown>, turns: number): Promise<number> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  return new Promise((resolve) => {
    let count = 0;
    const turn = () => {
      if (settled || count >= turns) return resolve(count);
      count++;
      setImmediate(turn);
    };
    setImmediate(turn);
  });
}

/** Backpressure (A.7) and concurrent use. */
export function backpressureAndConcurrencyScenarios(h: Harness, on: TagFilter): void {
  if (on("backpressure"))
    describe("backpressure", () => {
      it("makes the 11th ingest wait at maxInflightRecords 10 until acks come, while the event loop turns", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const stream = await h.open(table, { options: { maxInflightRecords: 10 } });
        const records = jsonRecords(11);
        for (const record of records.slice(0, 10)) await stream.ingestRecord(record);
        const eleventh = stream.ingestRecord(records[10]!);
        expect(await turnsWhilePending(eleventh, 100)).toBe(100);
        expect(await isPendingAfter(eleventh, 200)).toBe(true);
        h.server.releaseAcks(table);
        expect(await eleventh).toBe(10n);
        h.server.setAckPolicy(table, "immediate");
        h.server.releaseAcks(table);
        await stream.flush();
        h.server.table(table).assertRecords(records);
      });

      it("makes an ingest wait at maxInflightBytes until acks come", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const record = JSON.stringify({ pad: "x".repeat(90) });
        const stream = await h.open(table, { options: { maxInflightBytes: record.length * 3 } });
        for (let i = 0; i < 3; i++) await stream.ingestRecord(record);
        const fourth = stream.ingestRecord(record);
        expect(await isPendingAfter(fourth, 200)).toBe(true);
        expect(stream.stats().bytesInFlight).toBe(record.length * 3);
        h.server.releaseAcks(table);
        expect(await fourth).toBe(3n);
      });

      it("rejects a waiting ingest with the stream's error when the stream fails", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const stream = await h.open(table, { options: { maxInflightRecords: 2 } });
        const records = jsonRecords(3);
        await stream.ingestRecord(records[0]!);
        await stream.ingestRecord(records[1]!);
        const waiting = stream.ingestRecord(records[2]!);
        expect(await isPendingAfter(waiting, 100)).toBe(true);
        h.server.endConnections(table, GrpcStatusCode.PERMISSION_DENIED);
        await expectRejection(waiting, { code: "permission_denied", retryable: false });
        expect(stream.getUnackedRecords()).toEqual(records.slice(0, 2));
      });
    });

  if (on("concurrency"))
    describe("concurrency", () => {
      it("gives 100 concurrent tasks × 1,000 records unique offsets in call order", async () => {
        const table = h.table();
        const stream = await h.open(table);
        let callIndex = 0;
        const calls: Promise<[number, bigint]>[] = [];
        const task = async (taskId: number) => {
          for (let i = 0; i < 1_000; i++) {
            const index = callIndex++;
            calls.push(
              stream.ingestRecord(`{"task":${taskId},"call":${index}}`).then((offset) => [index, offset]),
            );
            if (i % 100 === 99) await Promise.resolve();
          }
        };
        await Promise.all(Array.from({ length: 100 }, (_, taskId) => task(taskId)));
        const results = await Promise.all(calls);
        for (const [index, offset] of results) expect(offset).toBe(BigInt(index));
        await stream.flush();
        const recording = h.server.table(table);
        expect(recording.recordCount).toBe(100_000);
        const serverOrder = recording.jsonRecords.map((json) => JSON.parse(json).call as number);
        expect(serverOrder).toEqual(serverOrder.map((_, i) => i));
        expect(stream.stats()).toMatchObject({
          recordsAccepted: 100_000,
          recordsAcked: 100_000,
          recordsInFlight: 0,
        });
      }, 60_000);

      it("runs several streams on different tables at once", async () => {
        const tables = [h.table(), h.table(), h.table()];
        const streams = await Promise.all(tables.map((table) => h.open(table)));
        const records = tables.map((_, t) => jsonRecords(200, 0, `table${t}`));
        await Promise.all(
          streams.map((stream, t) => Promise.all(records[t]!.map((record) => stream.ingestRecord(record)))),
        );
        await Promise.all(streams.map((stream) => stream.flush()));
        for (const [t, table] of tables.entries()) h.server.table(table).assertRecords(records[t]!);
      });
    });
}
