/**
 * Consecutive records joined into chunks of at most `chunkBytes` UTF-8 bytes by their measured `lengths`
 * (a record longer than that is a chunk of its own), so no chunk is a long string: V8 allocates a string
 * past about 128 KB in its large-object space, which made joining a whole request into one string cost
 * 2 to 3 times as much as joining it in small pieces. A lone record is its own chunk, not copied.
 */
export function joinInChunks(
  records: readonly string[],
  lengths: readonly number[],
  chunkBytes: number,
): string[] {
  if (records.length === 1) return [records[0] as string];
  const chunks: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const length = lengths[i] as number;
    if (bytes + length > chunkBytes && i > start) {
      chunks.push(joined(records, start, i));
      start = i;
      bytes = 0;
    }
    bytes += length;
  }
  chunks.push(joined(records, start, records.length));
  return chunks;
}

function joined(records: readonly string[], start: number, end: number): string {
  return end - start === 1 ? (records[start] as string) : records.slice(start, end).join("");
}
