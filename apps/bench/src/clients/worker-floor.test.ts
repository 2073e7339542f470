import { EventEmitter } from "node:events";
import type { Writable } from "node:stream";
import { fromBinary } from "@bufbuild/protobuf";
import { EphemeralStreamRequestSchema } from "@zerobus/proto";
import { describe, expect, it } from "vitest";
import { FrameReader } from "../grpc-frames.js";
import { createSharedSlots } from "../shared-slots.js";
import { SlotWriter } from "./worker-floor.js";
import { SlotSender } from "./worker-floor-sender.js";

/**
 * A stand-in for the HTTP/2 request that takes every framed write a little later (as a socket does) and
 * keeps a copy, asking for 'drain' now and then, so slots are reused while requests are pending.
 */
function slowSocket() {
  const chunks: Buffer[] = [];
  let writes = 0;
  const request = Object.assign(new EventEmitter(), {
    write(framed: Buffer, taken: () => void): boolean {
      // Copied only when taken: a slot reused before its write was taken would show up corrupted.
      const index = chunks.push(framed) - 1;
      setTimeout(() => {
        chunks[index] = Buffer.from(framed);
        taken();
      }, 1);
      const flowing = ++writes % 3 !== 0;
      if (!flowing) setTimeout(() => request.emit("drain"), 2);
      return flowing;
    },
  });
  const requests = () => {
    const seen: { offset: bigint; records: string[] }[] = [];
    new FrameReader().push(Buffer.concat(chunks), (buffer, start, end) => {
      const message = fromBinary(EphemeralStreamRequestSchema, buffer.subarray(start, end));
      if (message.payload.case !== "ingestRecordBatch") throw new Error(`unexpected ${message.payload.case}`);
      const batch = message.payload.value;
      if (batch.batch.case !== "jsonBatch") throw new Error(`unexpected ${batch.batch.case}`);
      seen.push({ offset: batch.offsetId, records: batch.batch.value.records });
    });
    return seen;
  };
  return { request: request as unknown as Writable, requests };
}

describe("worker-floor", () => {
  it("sends every record in order in valid batch requests while slots are reused", async () => {
    const slots = createSharedSlots(3, 4096);
    const socket = slowSocket();
    const sending = new SlotSender(slots, socket.request).run();
    const writer = new SlotWriter(slots);
    const records = [
      '{"a":1}',
      `{"long":"${"x".repeat(300)}"}`,
      '{"text":"héllo wörld ✓ 𝄞"}',
      ...Array.from({ length: 2_000 }, (_, i) => `{"i":${i},"pad":"${"p".repeat(i % 150)}"}`),
    ];
    const offsets: bigint[] = [];
    for (const record of records.slice(0, 1_000)) offsets.push(await writer.ingestRecord(record));
    for (let start = 1_000; start < records.length; start += 100) {
      offsets.push(await writer.ingestRecords(records.slice(start, start + 100)));
    }
    writer.end();
    const lastWireOffset = await sending;

    expect(offsets).toEqual(Array.from({ length: 1_011 }, (_, i) => BigInt(i)));
    const sent = socket.requests();
    expect(sent.length).toBeGreaterThan(slots.slotCount * 3);
    expect(lastWireOffset).toBe(sent.length - 1);
    expect(sent.map((request) => request.offset)).toEqual(sent.map((_, i) => BigInt(i)));
    expect(sent.flatMap((request) => request.records)).toEqual(records);
  });

  it("refuses a record larger than a slot", async () => {
    const writer = new SlotWriter(createSharedSlots(2, 1024));
    await expect(writer.ingestRecord("x".repeat(1024))).rejects.toThrow(/does not fit a slot/);
  });
});
