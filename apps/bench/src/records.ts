/** One record as an object: what a caller of `@zerobus/sdk` hands to a JSON stream. */
export interface BenchRecord {
  id: number;
  ts: number;
  device: string;
  temp: number;
  ok: boolean;
  note: string;
}

/** `count` records as objects, all different; each serialises to about 100 bytes. */
export function makeObjects(count: number): BenchRecord[] {
  const objects = new Array<BenchRecord>(count);
  for (let i = 0; i < count; i++) {
    objects[i] = {
      id: 1_000_000 + i,
      ts: 1_700_000_000_000 + i * 7,
      device: `sensor-${(i % 10_000).toString().padStart(4, "0")}`,
      temp: Math.round((20 + (i % 97) / 10) * 100) / 100,
      ok: i % 13 !== 0,
      note: "abcdefgh",
    };
  }
  return objects;
}

/**
 * `count` JSON records of about 100 bytes each, all different (the text of {@link makeObjects}). V8 returns `JSON.stringify` results as
 * rope (cons) strings that are flattened on first read; the pre-encoding clients would pay that outside
 * their timing and backend-js inside, so every record is flattened here, once, for all of them.
 */
export function makeRecords(count: number): string[] {
  const records = makeObjects(count).map((object) => JSON.stringify(object));
  let touched = 0;
  for (const record of records) touched += record.charCodeAt(record.length - 1);
  if (touched === 0) throw new Error("unreachable: every record ends with a brace");
  return records;
}

/** Splits records into batches of `size`. */
export function batchesOf(records: readonly string[], size: number): string[][] {
  const batches: string[][] = [];
  for (let i = 0; i < records.length; i += size) batches.push(records.slice(i, i + size));
  return batches;
}
