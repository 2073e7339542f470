import type { WireRecord } from "../wire-stream.js";
import { varintLength } from "./wire-size.js";

/**
 * One ingest call's payload: a single record, or the records of a batch (kept as one array, acknowledged
 * as a whole). A `WireRecord` is never an array, so `Array.isArray` tells the two apart.
 */
export type EntryPayload = WireRecord | readonly WireRecord[];

/**
 * Stands in for the payload of a sent entry whose records the connection holds (the native backend: the
 * Rust core's re-send buffer and the binding share one copy), so the ring keeps no copy of its own; the
 * landing queue reads such entries back from the connection when it needs them.
 */
export class HeldPayload {
  private constructor(readonly batch: boolean) {}
  static readonly single = new HeldPayload(false);
  static readonly batch = new HeldPayload(true);
}

const BLOCK_BITS = 12;
const BLOCK_SIZE = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_SIZE - 1;
/** Released blocks kept for reuse: enough for a steady flow of acknowledgements, bounded when it drains. */
const MAX_SPARE_BLOCKS = 8;

/** Storage for `BLOCK_SIZE` consecutive entries, in parallel arrays. */
interface Block {
  readonly payloads: (EntryPayload | HeldPayload | undefined)[];
  /**
   * Plain small-integer array, not a Float64Array: values read from a typed array of doubles are doubles,
   * and they would turn every counter they feed into a double mid-run (each change deoptimises the hot
   * path). A record's byte length always fits a small integer.
   */
  readonly bytes: number[];
  /** Each batch record's byte length (measured once, at accept); `undefined` for single records. */
  readonly lengths: (readonly number[] | undefined)[];
  /** `performance.now()` at each entry's acceptance, in a timed ring only (else one shared empty array). */
  readonly stamps: number[];
}

const NO_STAMPS: number[] = [];

function newBlock(timed: boolean): Block {
  return {
    payloads: new Array<EntryPayload | HeldPayload | undefined>(BLOCK_SIZE).fill(undefined),
    bytes: new Array<number>(BLOCK_SIZE).fill(0),
    lengths: new Array<readonly number[] | undefined>(BLOCK_SIZE).fill(undefined),
    stamps: timed ? new Array<number>(BLOCK_SIZE).fill(0) : NO_STAMPS,
  };
}

/**
 * The landing queue's storage: entries (one per ingest call) addressed by their logical offset, in blocks
 * of 4096 parallel slots. No per-record object is allocated and nothing is ever copied when the queue
 * grows (a doubling ring would copy every entry in flight at each step); blocks whose entries were all
 * acknowledged are kept for reuse (a few). Offsets in `[start, end)` are stored; both only grow.
 */
export class EntryRing {
  /** `blocks[k]` holds the offsets `base + k * BLOCK_SIZE` onwards; `base` is a multiple of BLOCK_SIZE. */
  #blocks: Block[] = [];
  #base: number;
  #spares: Block[] = [];
  readonly #timed: boolean;
  #start: number;
  #end: number;
  /** Records and bytes dropped by the last {@link releaseTo}. */
  releasedRecords = 0;
  releasedBytes = 0;
  /** The repeated field's size found by the last {@link coalesce}. */
  coalescedFieldBytes = 0;
  /** The records of the entries the last {@link coalesce} took, and their payload bytes. */
  coalescedRecords = 0;
  coalescedPayloadBytes = 0;

  /**
   * `firstOffset`: the offset the first entry gets (0 for a stream; tests start high to reach big offsets).
   * `timed`: each entry keeps a time stamp ({@link stamp}), for the accept-to-ack latency (issue 18).
   */
  constructor(firstOffset = 0, timed = false) {
    this.#timed = timed;
    this.#base = firstOffset - (firstOffset % BLOCK_SIZE);
    this.#start = firstOffset;
    this.#end = firstOffset;
  }

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
    const offset = this.#end;
    const index = (offset - this.#base) >>> BLOCK_BITS;
    let block = this.#blocks[index];
    if (block === undefined) {
      block = this.#spares.pop() ?? newBlock(this.#timed);
      this.#blocks.push(block);
    }
    // The base is a multiple of the block size, so an offset's slot is its low bits.
    const slot = offset & BLOCK_MASK;
    block.payloads[slot] = payload;
    block.bytes[slot] = bytes;
    block.lengths[slot] = lengths;
    this.#end = offset + 1;
    return offset;
  }

  /** Stamps the entry at `offset` (which must be stored) with `at`; in a timed ring only. */
  stamp(offset: number, at: number): void {
    this.#blockOf(offset).stamps[offset & BLOCK_MASK] = at;
  }

  /** The stamp of the entry at `offset` (which must be stored), in a timed ring. */
  stampAt(offset: number): number {
    return this.#blockOf(offset).stamps[offset & BLOCK_MASK] as number;
  }

  /** The payload at `offset` (which must be stored, and not held: see {@link hold}). */
  payloadAt(offset: number): EntryPayload {
    return this.#blockOf(offset).payloads[offset & BLOCK_MASK] as EntryPayload;
  }

  /** The payload at `offset`, or what stands in for it while the connection holds its records. */
  storedAt(offset: number): EntryPayload | HeldPayload {
    return this.#blockOf(offset).payloads[offset & BLOCK_MASK] as EntryPayload | HeldPayload;
  }

  /** The number of records of the entry at `offset` (a batch of one is stored without lengths). */
  recordCountAt(offset: number): number {
    return this.#blockOf(offset).lengths[offset & BLOCK_MASK]?.length ?? 1;
  }

  /** Drops the payloads of the entries `[start, stop)`: the connection holds their records now. */
  hold(start: number, stop: number): void {
    for (let offset = start; offset < stop; offset++) {
      const { payloads } = this.#blockOf(offset);
      const slot = offset & BLOCK_MASK;
      payloads[slot] = isBatch(payloads[slot] as EntryPayload) ? HeldPayload.batch : HeldPayload.single;
    }
  }

  /** Puts back the payload of a held entry. */
  restore(offset: number, payload: EntryPayload): void {
    this.#blockOf(offset).payloads[offset & BLOCK_MASK] = payload;
  }

  /** The payload bytes at `offset` (which must be stored). */
  bytesAt(offset: number): number {
    return this.#blockOf(offset).bytes[offset & BLOCK_MASK] as number;
  }

  /** The byte length of each record of the batch at `offset` (`undefined` for a single record). */
  lengthsAt(offset: number): readonly number[] | undefined {
    return this.#blockOf(offset).lengths[offset & BLOCK_MASK];
  }

  /**
   * Forgets every entry below `end` (they were acknowledged), counting their records and bytes into
   * {@link releasedRecords} and {@link releasedBytes}. One tight loop: this runs for every acknowledged
   * record.
   */
  releaseTo(end: number): void {
    let records = 0;
    let released = 0;
    for (let offset = this.#start; offset < end; ) {
      const block = this.#blockOf(offset);
      // The end of `offset`'s block. Not `(offset | BLOCK_MASK) + 1`: bitwise operators work on 32 bits,
      // and offsets pass 2^31 on a stream that lives long enough.
      const stop = Math.min(end, offset - (offset & BLOCK_MASK) + BLOCK_SIZE);
      const { payloads, bytes, lengths } = block;
      for (; offset < stop; offset++) {
        const slot = offset & BLOCK_MASK;
        // A batch of one is stored without lengths; a held entry has no payload to count.
        records += lengths[slot]?.length ?? 1;
        released += bytes[slot] as number;
        payloads[slot] = undefined;
        lengths[slot] = undefined;
      }
    }
    this.#start = end;
    while (this.#start - this.#base >= BLOCK_SIZE) {
      const block = this.#blocks.shift() as Block;
      if (this.#spares.length < MAX_SPARE_BLOCKS) this.#spares.push(block);
      this.#base += BLOCK_SIZE;
    }
    this.releasedRecords = records;
    this.releasedBytes = released;
  }

  /**
   * How far the entries from `start` coalesce into one batch request whose repeated field stays within
   * `maxFieldBytes` (PROTOCOL.md A.15): single records and batches alike, a batch always whole (its
   * records share one logical offset, so they must travel in one request). Returns the end (exclusive),
   * stopping before `end` or before the entry that would not fit; the first entry always goes. The
   * field's size is left in {@link coalescedFieldBytes}, the records it holds in
   * {@link coalescedRecords}.
   */
  coalesce(start: number, end: number, maxFieldBytes: number): number {
    let fieldBytes = 0;
    let records = 0;
    let payloadBytes = 0;
    let stop = start;
    while (stop < end) {
      const block = this.#blockOf(stop);
      const slot = stop & BLOCK_MASK;
      const payload = block.payloads[slot] as EntryPayload;
      let grown = fieldBytes;
      if (isBatch(payload)) {
        grown += fieldBytesOf(block.lengths[slot] as readonly number[], block.bytes[slot] as number);
      } else {
        const length = block.bytes[slot] as number;
        grown += 1 + (length < 0x80 ? 1 : varintLength(length)) + length;
      }
      if (grown > maxFieldBytes && stop > start) break;
      fieldBytes = grown;
      payloadBytes += block.bytes[slot] as number;
      records += isBatch(payload) ? payload.length : 1;
      stop++;
    }
    this.coalescedFieldBytes = fieldBytes;
    this.coalescedRecords = records;
    this.coalescedPayloadBytes = payloadBytes;
    return stop;
  }

  /**
   * Copies the records of the entries `[start, stop)` (singles and batches, `records` of them in all)
   * and their byte lengths into new arrays, in offset order.
   */
  gather(start: number, stop: number, records: number): [WireRecord[], number[]] {
    const out = new Array<WireRecord>(records);
    const lengths = new Array<number>(records);
    let index = 0;
    for (let offset = start; offset < stop; offset++) {
      const block = this.#blockOf(offset);
      const slot = offset & BLOCK_MASK;
      const payload = block.payloads[slot] as EntryPayload;
      if (isBatch(payload)) {
        const batchLengths = block.lengths[slot] as readonly number[];
        for (let i = 0; i < payload.length; i++) {
          out[index] = payload[i] as WireRecord;
          lengths[index++] = batchLengths[i] as number;
        }
      } else {
        out[index] = payload;
        lengths[index++] = block.bytes[slot] as number;
      }
    }
    return [out, lengths];
  }

  #blockOf(offset: number): Block {
    return this.#blocks[(offset - this.#base) >>> BLOCK_BITS] as Block;
  }
}

/**
 * The bytes a batch's records take in a repeated field: each is a tag, a varint length and the payload.
 * `bytes` is the sum of the lengths, so only the varints are counted one by one (one byte each below 128).
 */
function fieldBytesOf(lengths: readonly number[], bytes: number): number {
  let overhead = 0;
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i] as number;
    overhead += length < 0x80 ? 2 : 1 + varintLength(length);
  }
  return bytes + overhead;
}

/** Whether an entry is a batch (from `ingestRecords`) rather than a single record. */
export function isBatch(payload: EntryPayload): payload is readonly WireRecord[] {
  return Array.isArray(payload);
}
