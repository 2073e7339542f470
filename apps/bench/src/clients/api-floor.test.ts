import { EventEmitter } from "node:events";
import { fromBinary } from "@bufbuild/protobuf";
import { EphemeralStreamRequestSchema } from "@zerobus/proto";
import { describe, expect, it } from "vitest";
import { FrameReader } from "../grpc-frames.js";
import type { RawH2Stream } from "../raw-h2-stream.js";
import { FloorStream } from "./api-floor.js";

/** A stand-in for the raw HTTP/2 call that keeps every framed write. */
function capture(): { stream: RawH2Stream; requests: () => ReturnType<typeof decode>[] } {
  const chunks: Buffer[] = [];
  const request = Object.assign(new EventEmitter(), {
    write: (framed: Buffer) => chunks.push(Buffer.from(framed)) > 0,
  });
  const stream = { request: request as unknown as RawH2Stream["request"], end: () => {} };
  const requests = () => {
    const seen: ReturnType<typeof decode>[] = [];
    new FrameReader().push(Buffer.concat(chunks), (buffer, start, end) =>
      seen.push(decode(buffer.subarray(start, end))),
    );
    return seen;
  };
  return { stream, requests };
}

function decode(message: Buffer) {
  const request = fromBinary(EphemeralStreamRequestSchema, message);
  if (request.payload.case !== "ingestRecordBatch") throw new Error(`unexpected ${request.payload.case}`);
  const batch = request.payload.value;
  if (batch.batch.case !== "jsonBatch") throw new Error(`unexpected ${batch.batch.case}`);
  return { offset: batch.offsetId, records: batch.batch.value.records };
}

describe("api-floor", () => {
  it("sends valid batch requests holding every record in order, whatever its size and characters", async () => {
    const { stream, requests } = capture();
    const sent: number[] = [];
    const floor = new FloorStream(stream, (offset) => sent.push(offset));
    const records = [
      '{"a":1}',
      `{"long":"${"x".repeat(300)}"}`,
      '{"text":"héllo wörld ✓ 𝄞"}',
      `{"big":"${"é".repeat(200_000)}"}`,
      ...Array.from({ length: 20_000 }, (_, i) => `{"i":${i},"pad":"${"p".repeat(100)}"}`),
    ];
    const offsets: bigint[] = [];
    for (const record of records.slice(0, 10)) offsets.push(await floor.ingestRecord(record));
    offsets.push(await floor.ingestRecords(records.slice(10)));
    await floor.sendPending();

    expect(offsets).toEqual(Array.from({ length: 11 }, (_, i) => BigInt(i)));
    const decoded = requests();
    expect(decoded.length).toBeGreaterThan(2);
    expect(decoded.map((request) => request.offset)).toEqual(decoded.map((_, i) => BigInt(i)));
    expect(sent).toEqual(decoded.map((_, i) => i));
    expect(decoded.flatMap((request) => request.records)).toEqual(records);
  });
});
