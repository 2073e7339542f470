import { describe, expect, it } from "vitest";
import { FieldStaging } from "./field-staging.js";

/** A record as the repeated field of a batch request holds it: tag 1 (length-delimited), length, bytes. */
function field(record: string): Buffer {
  const bytes = Buffer.from(record, "utf8");
  const varint: number[] = [];
  for (let rest = bytes.length; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) {
      varint.push(rest);
      break;
    }
    varint.push((rest % 128) | 128);
  }
  return Buffer.concat([Buffer.from([0x0a, ...varint]), bytes]);
}

function stageAll(staging: FieldStaging, records: string[]): { slab: Buffer; start: number }[] {
  return records.map((record) => {
    expect(staging.stage(record)).toBe(Buffer.byteLength(record));
    staging.commit();
    return { slab: staging.slab as Buffer, start: staging.start };
  });
}

describe("FieldStaging", () => {
  it("measures each record exactly and lays committed fields out back to back", () => {
    const staging = new FieldStaging();
    const records = [
      "{}",
      '{"name":"Zoë ☃ 𝄞"}',
      // 100 characters but 200 UTF-8 bytes: the length varint is one byte longer than an ASCII guess.
      `{"p":"${"é".repeat(93)}"}`,
      `{"pad":"${"x".repeat(300)}"}`,
    ];
    const placed = stageAll(staging, records);
    const slab = placed[0]?.slab as Buffer;
    expect(placed.every((entry) => entry.slab === slab)).toBe(true);
    const expected = Buffer.concat(records.map(field));
    const start = placed[0]?.start as number;
    expect(slab.subarray(start, start + expected.length).equals(expected)).toBe(true);
    for (let i = 1; i < records.length; i++) {
      expect(placed[i]?.start).toBe(
        (placed[i - 1]?.start as number) + field(records[i - 1] as string).length,
      );
    }
  });

  it("overwrites a record staged but not committed", () => {
    const staging = new FieldStaging();
    staging.stage('{"refused":true}');
    const start = staging.start;
    expect(staging.stage("{}")).toBe(2);
    expect(staging.start).toBe(start);
  });

  it("starts a new slab when one is full, and leaves very long records unstaged but measured", () => {
    const staging = new FieldStaging();
    const record = `{"p":"${"a".repeat(1000)}"}`;
    const placed = stageAll(
      staging,
      Array.from({ length: 2000 }, () => record),
    );
    const slabs = new Set(placed.map((entry) => entry.slab));
    expect(slabs.size).toBeGreaterThan(1);
    for (const entry of placed) {
      expect(entry.slab.subarray(entry.start, entry.start + field(record).length).equals(field(record))).toBe(
        true,
      );
    }
    const huge = `{"p":"${"ü".repeat(200_000)}"}`;
    expect(staging.stage(huge)).toBe(Buffer.byteLength(huge));
    expect(staging.slab).toBeUndefined();
  });
});
