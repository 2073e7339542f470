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

/** A scratch buffer the sized records are written into, so each is read out as one flat string. */
const scratch = Buffer.alloc(64 * 1024);

/**
 * `count` distinct JSON records of exactly `recordBytes` bytes each (`{"id":…,"device":"…","pad":"…"}`),
 * numbered from `firstId`. Each is a flat one-byte string read out of a buffer (no rope left from
 * concatenation), as text a caller read from the wire would be.
 */
export function makeSizedRecords(count: number, recordBytes: number, firstId = 0): string[] {
  const records = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    const head = `{"id":${id},"device":"sensor-${(id % 10_000).toString().padStart(4, "0")}","pad":"`;
    const padBytes = recordBytes - head.length - 2;
    if (padBytes < 0) throw new Error(`a record of ${recordBytes} bytes cannot hold id ${id}`);
    let at = scratch.write(head, 0, "latin1");
    scratch.fill(97 + (id % 26), at, at + padBytes);
    at += padBytes;
    at += scratch.write('"}', at, "latin1");
    records[i] = scratch.toString("latin1", 0, at);
  }
  return records;
}
