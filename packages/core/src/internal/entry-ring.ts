import type { WireRecord } from "../backend.js";
import { varintLength } from "./wire-size.js";

/**
 * One ingest call's payload: a single record, or the records of a batch (kept as one array, acknowledged
 * as a whole). A `WireRecord` is never an array, so `Array.isArray` tells the two apart.
 */
export type EntryPayload = WireRecord | readonly WireRecord[];

const INITIAL_CAPACITY = 1024;

/**
 * The landing queue's storage: entries (one per ingest call) addressed by their logical offset, kept in
 * two parallel arrays used as a ring. No per-record object is allocated, which keeps `ingestRecord` cheap
 * and the garbage collector idle. Offsets in `[start, end)` are stored; both only grow.
 */
export class EntryRing {
  #payloads: (EntryPayload | undefined)[] = new Array(INITIAL_CAPACITY);
  #bytes: number[] = new Array(INITIAL_CAPACITY).fill(0);
  /** Each batch record's byte length (measured once, at accept); `undefined` for single records. */
  #lengths: (readonly number[] | undefined)[] = new Array(INITIAL_CAPACITY);
  #mask = INITIAL_CAPACITY - 1;
  #start = 0;
  #end = 0;

  /** The offset of the oldest stored entry. */
  get start(): number {
    return this.#start;
  }

  /** The offset the next entry gets. */
  get end(): number {
    return this.#end;
  }

  /** Appends an entry (with its records' byte lengths when it is a batch) and returns its offset. */
  push(payload: EntryPayload, bytes: number, lengths?: readonly number[]): number {
    if (this.#end - this.#start > this.#mask) this.#grow();
    const offset = this.#end;
    // `&` works on the low 32 bits, which is all the mask looks at (offsets stay below 2^53).
    const slot = offset & this.#mask;
    this.#payloads[slot] = payload;
    this.#bytes[slot] = bytes;
    this.#lengths[slot] = lengths;
    this.#end = offset + 1;
    return offset;
  }

  /** The payload at `offset` (which must be stored). */
  payloadAt(offset: number): EntryPayload {
    return this.#payloads[offset & this.#mask] as EntryPayload;
  }

  /** The payload bytes at `offset` (which must be stored). */
  bytesAt(offset: number): number {
    return this.#bytes[offset & this.#mask] as number;
  }

  /** The byte length of each record of the batch at `offset` (`undefined` for a single record). */
  lengthsAt(offset: number): readonly number[] | undefined {
    return this.#lengths[offset & this.#mask];
  }

  /** Records and bytes dropped by the last {@link releaseTo}. */
  releasedRecords = 0;
  releasedBytes = 0;

  /**
   * Forgets every entry below `end` (they were acknowledged), counting their records and bytes into
   * {@link releasedRecords} and {@link releasedBytes}. One tight loop: this runs for every acknowledged
   * record.
   */
  releaseTo(end: number): void {
    const payloads = this.#payloads;
    const bytes = this.#bytes;
    const lengths = this.#lengths;
    const mask = this.#mask;
    let records = 0;
    let released = 0;
    for (let offset = this.#start; offset < end; offset++) {
      const slot = offset & mask;
      const payload = payloads[slot] as EntryPayload;
      records += isBatch(payload) ? payload.length : 1;
      released += bytes[slot] as number;
      payloads[slot] = undefined;
      lengths[slot] = undefined;
    }
    this.#start = end;
    this.releasedRecords = records;
    this.releasedBytes = released;
  }

  /**
   * How far single records from `start` (which must be one) coalesce into one batch whose repeated field
   * stays within `maxFieldBytes`: returns the end (exclusive), stopping before `end`, before a batch
   * entry, or before the record that would not fit. {@link coalescedFieldBytes} holds the field's size.
   */
  coalesce(start: number, end: number, maxFieldBytes: number): number {
    const payloads = this.#payloads;
    const bytes = this.#bytes;
    const mask = this.#mask;
    let fieldBytes = 0;
    let stop = start;
    while (stop < end) {
      const slot = stop & mask;
      if (isBatch(payloads[slot] as EntryPayload)) break;
      const length = bytes[slot] as number;
      const grown = fieldBytes + 1 + (length < 0x80 ? 1 : varintLength(length)) + length;
      if (grown > maxFieldBytes && stop > start) break;
      fieldBytes = grown;
      stop++;
    }
    this.coalescedFieldBytes = fieldBytes;
    return stop;
  }

  /** The repeated field's size found by the last {@link coalesce}. */
  coalescedFieldBytes = 0;

  /** Copies the single records of `[start, stop)` and their byte lengths into new arrays. */
  singles(start: number, stop: number): [WireRecord[], number[]] {
    const payloads = this.#payloads;
    const bytes = this.#bytes;
    const mask = this.#mask;
    const count = stop - start;
    const records = new Array<WireRecord>(count);
    const lengths = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const slot = (start + i) & mask;
      records[i] = payloads[slot] as WireRecord;
      lengths[i] = bytes[slot] as number;
    }
    return [records, lengths];
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const payloads: (EntryPayload | undefined)[] = new Array(capacity);
    const bytes: number[] = new Array(capacity).fill(0);
    const lengths: (readonly number[] | undefined)[] = new Array(capacity);
    const mask = capacity - 1;
    for (let offset = this.#start; offset < this.#end; offset++) {
      payloads[offset & mask] = this.#payloads[offset & this.#mask];
      bytes[offset & mask] = this.#bytes[offset & this.#mask] as number;
      lengths[offset & mask] = this.#lengths[offset & this.#mask];
    }
    this.#payloads = payloads;
    this.#bytes = bytes;
    this.#lengths = lengths;
    this.#mask = mask;
  }
}

/** Whether an entry is a batch (from `ingestRecords`) rather than a single record. */
export function isBatch(payload: EntryPayload): payload is readonly WireRecord[] {
  return Array.isArray(payload);
}

/** The number of records an entry holds. */
export function recordCount(payload: EntryPayload): number {
  return isBatch(payload) ? payload.length : 1;
}
