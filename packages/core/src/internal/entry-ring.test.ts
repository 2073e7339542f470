import { describe, expect, it } from "vitest";
import { EntryRing, HeldPayload, isBatch } from "./entry-ring.js";
import { NumberQueue } from "./number-queue.js";

describe("EntryRing", () => {
  it("addresses entries by offset across blocks, releases and block reuse", () => {
    const ring = new EntryRing();
    // Release past whole blocks (they are recycled), then grow across several more.
    for (let i = 0; i < 1000; i++) ring.push(`r${i}`, i);
    ring.releaseTo(900);
    expect(ring.releasedRecords).toBe(900);
    expect(ring.releasedBytes).toBe((899 * 900) / 2);
    expect(ring.payloadAt(900)).toBe("r900");
    for (let i = 1000; i < 5000; i++) ring.push(`r${i}`, i);
    ring.releaseTo(4500);
    for (let i = 5000; i < 20_000; i++) ring.push(`r${i}`, i);
    expect(ring.start).toBe(4500);
    expect(ring.end).toBe(20_000);
    for (let offset = 4500; offset < 20_000; offset++) {
      expect(ring.payloadAt(offset)).toBe(`r${offset}`);
      expect(ring.bytesAt(offset)).toBe(offset);
    }
  });

  it("keeps working past offset 2^31, where 32-bit bitwise arithmetic would wrap", () => {
    for (const first of [2 ** 31 - 5000, 2 ** 32 - 3, 2 ** 40 + 7]) {
      const ring = new EntryRing(first);
      for (let i = 0; i < 10_000; i++) ring.push(`r${i}`, 1);
      ring.releaseTo(first + 4_321);
      expect(ring.releasedRecords).toBe(4_321);
      ring.releaseTo(first + 9_000);
      expect(ring.releasedRecords).toBe(4_679);
      expect(ring.start).toBe(first + 9_000);
      expect(ring.payloadAt(first + 9_999)).toBe("r9999");
      expect(ring.coalesce(first + 9_000, ring.end, 1_000_000)).toBe(first + 10_000);
      expect(ring.gather(first + 9_998, first + 10_000, 2)[0]).toEqual(["r9998", "r9999"]);
    }
  });

  it("counts a batch's records when releasing and keeps its lengths until then", () => {
    const ring = new EntryRing();
    ring.push("a", 1);
    ring.push(["b", "cc"], 3, [1, 2]);
    expect(ring.lengthsAt(1)).toEqual([1, 2]);
    ring.releaseTo(2);
    expect([ring.releasedRecords, ring.releasedBytes]).toEqual([3, 4]);
  });

  it("coalesces single records and whole batches up to a field budget", () => {
    const ring = new EntryRing();
    for (let i = 0; i < 5; i++) ring.push("x".repeat(10), 10); // 12 field bytes each
    ring.push(["y", "zz"], 3, [1, 2]); // 3 + 4 field bytes
    ring.push("w", 1); // 3 field bytes
    expect(ring.coalesce(0, ring.end, 36)).toBe(3);
    expect([ring.coalescedFieldBytes, ring.coalescedRecords]).toEqual([36, 3]);
    // The batch goes whole or not at all.
    expect(ring.coalesce(3, ring.end, 30)).toBe(5);
    expect(ring.coalesce(3, ring.end, 31)).toBe(6);
    expect([ring.coalescedFieldBytes, ring.coalescedRecords]).toEqual([31, 4]);
    expect(ring.coalesce(3, ring.end, 1000)).toBe(7);
    expect([ring.coalescedFieldBytes, ring.coalescedRecords]).toEqual([34, 5]);
    // An entry over the budget still leaves alone rather than never.
    expect(ring.coalesce(0, ring.end, 5)).toBe(1);
    expect(ring.coalesce(5, ring.end, 5)).toBe(6);
    expect(ring.gather(4, 7, 4)).toEqual([
      ["x".repeat(10), "y", "zz", "w"],
      [10, 1, 2, 1],
    ]);
  });

  it("tells single records from batches and counts records, also while the connection holds them", () => {
    const bytes = new Uint8Array([1]);
    expect(isBatch("x")).toBe(false);
    expect(isBatch(bytes)).toBe(false);
    expect(isBatch(["a", "b"])).toBe(true);
    const ring = new EntryRing();
    ring.push(bytes, 1);
    ring.push(["a", "b", "c"], 3, [1, 1, 1]);
    ring.push(["one"], 3); // a batch of one is stored without lengths
    ring.hold(0, 3);
    expect([0, 1, 2].map((offset) => ring.recordCountAt(offset))).toEqual([1, 3, 1]);
    expect([0, 1, 2].map((offset) => ring.storedAt(offset))).toEqual([
      HeldPayload.single,
      HeldPayload.batch,
      HeldPayload.batch,
    ]);
    ring.restore(1, ["a", "b", "c"]);
    expect(ring.payloadAt(1)).toEqual(["a", "b", "c"]);
    ring.releaseTo(3);
    expect(ring.releasedRecords).toBe(5);
  });
});

describe("NumberQueue", () => {
  it("keeps first-in-first-out order across growth, drops and clears", () => {
    const queue = new NumberQueue();
    for (let i = 0; i < 50; i++) queue.push(i);
    queue.drop(40);
    for (let i = 50; i < 300; i++) queue.push(i);
    expect(queue.length).toBe(260);
    for (let i = 0; i < 260; i++) expect(queue.at(i)).toBe(40 + i);
    queue.drop(1000);
    expect(queue.length).toBe(0);
    queue.push(7);
    queue.clear();
    expect(queue.length).toBe(0);
    queue.push(8);
    expect(queue.at(0)).toBe(8);
  });
});
