import { describe, expect, it } from "vitest";
import {
  batchRequestSize,
  lengthDelimitedSize,
  MAX_OFFSET_VARINT_BYTES,
  singleRequestSize,
  varintLength,
} from "./wire-size.js";

describe("varintLength", () => {
  it.each([
    [0, 1],
    [127, 1],
    [128, 2],
    [16_383, 2],
    [16_384, 3],
    [2 ** 21 - 1, 3],
    [2 ** 21, 4],
    [2 ** 28 - 1, 4],
    [2 ** 28, 5],
    [2 ** 35 - 1, 5],
    [2 ** 35, 6],
    [2 ** 49, 8],
    [2 ** 53 - 1, 8],
  ])("%d takes %d bytes", (value, bytes) => {
    expect(varintLength(value)).toBe(bytes);
  });
});

describe("request sizes", () => {
  // PROTOCOL.md B §1.2: single JSON record `{}` at offset 0 is `12 06 08 00 1a 02 7b 7d` (8 bytes) with a
  // one-byte offset; the computed size reserves the longest offset varint instead.
  const offsetSlack = MAX_OFFSET_VARINT_BYTES - 1;

  it("sizes a single record like the protocol's byte vector, plus the offset reserve", () => {
    expect(singleRequestSize(2)).toBe(8 + offsetSlack);
  });

  it("sizes a batch like the protocol's byte vector, plus the offset reserve", () => {
    // JSON batch ["{}","{}"] at offset 1: `1a 0c 08 01 1a 08 0a 02 7b 7d 0a 02 7b 7d` (14 bytes).
    const fields = lengthDelimitedSize(2) * 2;
    expect(batchRequestSize(fields)).toBe(14 + offsetSlack);
  });

  it("grows the length prefixes when the content crosses a varint boundary", () => {
    expect(lengthDelimitedSize(127)).toBe(129);
    expect(lengthDelimitedSize(128)).toBe(131);
    // 10 MiB record: 3-byte inner length prefixes twice over plus the tags and offset.
    const mib10 = 10 * 1024 * 1024;
    expect(singleRequestSize(mib10)).toBe(mib10 + 1 + 4 + 1 + MAX_OFFSET_VARINT_BYTES + 1 + 4);
  });
});
