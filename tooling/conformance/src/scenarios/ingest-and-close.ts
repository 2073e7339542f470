import { RecordType } from "@zerobus/core";
import { describe, expect, it } from "vitest";
import { expectRejection, jsonRecords } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";

/** Ingest, batches, acknowledgements and close: the rest of the model SDK's scenarios. */
export function ingestAndCloseScenarios(h: Harness, on: TagFilter): void {
  if (on("ingest") || on("batch") || on("ack"))
    describe("ingest and acknowledgement", () => {
      it("ingests one record and sees it acknowledged", async () => {
        const table = h.table();
        const acks: bigint[] = [];
        const stream = await h.open(table, { events: { onAck: (offset) => acks.push(offset) } });
        const [record] = jsonRecords(1);
        const offset = await stream.ingestRecord(record!);
        expect(offset).toBe(0n);
        await stream.waitForOffset(offset);
        expect(acks).toEqual([0n]);
        expect(stream.stats()).toMatchObject({ recordsAccepted: 1, recordsAcked: 1, recordsInFlight: 0 });
        h.server.table(table).assertRecords([record!]);
      });

      it("ingests several records in sequence with increasing offsets", async () => {
        const table = h.table();
        const stream = await h.open(table);
        const records = jsonRecords(5);
        const offsets: bigint[] = [];
        for (const record of records) {
          const offset = await stream.ingestRecord(record);
          await stream.waitForOffset(offset);
          offsets.push(offset);
        }
        expect(offsets).toEqual([0n, 1n, 2n, 3n, 4n]);
        h.server.table(table).assertRecords(records);
        const wireOffsets = h.server.table(table).requests.map((request) => request.offset);
        expect(wireOffsets).toEqual(wireOffsets.map((_, index) => BigInt(index)));
      });

      it("ingests a batch of 5 under one offset, acknowledged as a whole", async () => {
        const table = h.table();
        const stream = await h.open(table);
        const records = jsonRecords(5);
        const offset = await stream.ingestRecords(records);
        expect(offset).toBe(0n);
        await stream.flush();
        const recording = h.server.table(table);
        recording.assertRecords(records);
        expect(recording.requests).toHaveLength(1);
        expect(recording.requests[0]?.kind).toBe("batch");
        expect(await stream.ingestRecord(jsonRecords(1, 5)[0]!)).toBe(1n);
        expect(stream.stats()).toMatchObject({ recordsAccepted: 6 });
      });

      it("ingests proto records on a proto stream", async () => {
        const table = h.table();
        // message Row { optional int64 n = 1; } as a DescriptorProto.
        const descriptorProto = Uint8Array.from([
          0x0a, 0x03, 0x52, 0x6f, 0x77, 0x12, 0x09, 0x0a, 0x01, 0x6e, 0x18, 0x01, 0x20, 0x01, 0x28, 0x03,
        ]);
        const stream = await h.open(table, { descriptorProto });
        expect(stream.recordType).toBe(RecordType.Proto);
        const records = [Uint8Array.from([0x08, 0x01]), Uint8Array.from([0x08, 0x02])];
        await stream.ingestRecord(records[0]!);
        await stream.ingestRecords([records[1]!]);
        await stream.flush();
        h.server.table(table).assertRecords(records);
        expect(h.server.table(table).connections[0]?.recordType).toBe("proto");
      });

      it("resolves flush at once when nothing was ingested", async () => {
        const stream = await h.open(h.table());
        const started = performance.now();
        await stream.flush();
        expect(performance.now() - started).toBeLessThan(500);
      });
    });

  if (on("close"))
    describe("close", () => {
      it("closes gracefully after an ingest, flushing first", async () => {
        const table = h.table();
        const stream = await h.open(table);
        const [record] = jsonRecords(1);
        await stream.ingestRecord(record!);
        await stream.close();
        expect(stream.state).toBe("closed");
        expect(stream.stats().recordsAcked).toBe(1);
        h.server.table(table).assertRecords([record!]);
        await h.server.table(table).waitFor((t) => t.connections[0]?.end !== undefined);
        expect(h.server.table(table).connections[0]?.end?.by).toBe("client");
      });

      it("closes idempotently", async () => {
        const stream = await h.open(h.table());
        await stream.close();
        await stream.close();
        await Promise.all([stream.close(), stream.close()]);
        expect(stream.state).toBe("closed");
      });

      it("rejects an ingest after close, without retry", async () => {
        const stream = await h.open(h.table());
        await stream.close();
        await expectRejection(stream.ingestRecord(jsonRecords(1)[0]!), {
          code: "stream_closed",
          retryable: false,
        });
      });

      it("rejects a batch ingest after close", async () => {
        const stream = await h.open(h.table());
        await stream.close();
        await expectRejection(stream.ingestRecords(jsonRecords(3)), {
          code: "stream_closed",
          retryable: false,
        });
      });

      it("reports state changes through onStateChange", async () => {
        const states: string[] = [];
        const stream = await h.open(h.table(), { events: { onStateChange: (state) => states.push(state) } });
        await stream.close();
        expect(states.slice(-2)).toEqual(["closing", "closed"]);
      });
    });
}
