/** One W5 record: `{"id":…,"device":"…","pad":"…"}`, padded to exactly this many bytes of ASCII. */
const scratch = Buffer.alloc(64 * 1024);

/**
 * `count` distinct JSON records of exactly `recordBytes` bytes each, numbered from `firstId`. Each is a
 * flat one-byte string read out of a buffer (no rope left from concatenation), so what a client keeps of
 * a record is the record's own bytes plus V8's string header, as with text a caller read from the wire.
 */
export function makeBatch(firstId: number, count: number, recordBytes: number): string[] {
  const batch = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    const head = `{"id":${id},"device":"sensor-${(id % 10_000).toString().padStart(4, "0")}","pad":"`;
    const padBytes = recordBytes - head.length - 2;
    if (padBytes < 0) throw new Error(`a record of ${recordBytes} bytes cannot hold id ${id}`);
    let at = scratch.write(head, 0, "latin1");
    scratch.fill(97 + (id % 26), at, at + padBytes);
    at += padBytes;
    at += scratch.write('"}', at, "latin1");
    batch[i] = scratch.toString("latin1", 0, at);
  }
  return batch;
}
