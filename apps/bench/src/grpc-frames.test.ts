import { describe, expect, it } from "vitest";
import { ackFrame, ackOffsetOf, createdFrame, FrameReader, frame, readVarint } from "./grpc-frames.js";

function messages(reader: FrameReader, chunks: Buffer[]): string[] {
  const seen: string[] = [];
  for (const chunk of chunks) {
    reader.push(chunk, (buffer, start, end) => seen.push(buffer.subarray(start, end).toString("hex")));
  }
  return seen;
}

describe("FrameReader", () => {
  it("splits messages within a chunk and across chunks, whatever the chunk boundaries", () => {
    const payloads = [Buffer.from("01", "hex"), Buffer.alloc(70_000, 7), Buffer.from("0203", "hex")];
    const stream = Buffer.concat(payloads.map(frame));
    for (const size of [1, 3, 5, 16_384, stream.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expect(messages(new FrameReader(), chunks)).toEqual(payloads.map((payload) => payload.toString("hex")));
    }
  });
});

describe("envelope helpers", () => {
  it("writes and reads acks and create responses as PROTOCOL.md B §1.2 encodes them", () => {
    expect(ackFrame(300).subarray(5).toString("hex")).toBe("120308ac02");
    expect(createdFrame("abc").subarray(5).toString("hex")).toBe("0a050a03616263");
    expect(ackOffsetOf(Buffer.from("120308ac02", "hex"), 0)).toBe(300);
    expect(ackOffsetOf(Buffer.from("0a050a03616263", "hex"), 0)).toBe(-1);
    expect(readVarint(Buffer.from("ff ff 03".replace(/ /g, ""), "hex"), 0)).toEqual([65_535, 3]);
  });
});
