import type { EphemeralStreamRequest } from "@zerobus/proto";

/** A record as a plain string or `Uint8Array` (decoding from a Buffer yields Buffer views). */
function plain(record: string | Uint8Array): string | Uint8Array {
  return typeof record === "string" ? record : Uint8Array.from(record);
}

/** Every record a call carried, flattened in wire order (JSON strings or proto bytes). */
export function recordsOf(requests: readonly EphemeralStreamRequest[]): (string | Uint8Array)[] {
  const records: (string | Uint8Array)[] = [];
  for (const request of requests) {
    const payload = request.payload;
    if (payload.case === "ingestRecord") {
      const record = payload.value.record;
      if (record.case !== undefined) records.push(plain(record.value));
    } else if (payload.case === "ingestRecordBatch") {
      const batch = payload.value.batch;
      if (batch.case !== undefined) for (const record of batch.value.records) records.push(plain(record));
    }
  }
  return records;
}
