import type { HeldRecords } from "../backend.js";
import type { WireRequest } from "../wire-request.js";
import type { StreamStats, WireRecord } from "../wire-stream.js";
import { ZerobusError } from "../zerobus-error.js";
import type { EntryPayload } from "./entry-ring.js";
import { EntryRing, HeldPayload, isBatch } from "./entry-ring.js";
import { NumberQueue } from "./number-queue.js";
import { SlowStart } from "./slow-start.js";
import { batchRequestSize } from "./wire-size.js";

/**
 * The landing queue (PROTOCOL.md B §4.1, A.15): every accepted entry until it is acknowledged, split into
 * sent (`[start, sentEnd)`) and queued (`[sentEnd, end)`), plus the map from each wire request of the
 * current connection to the logical offsets it carries, and the counters of `stats()`. Pure bookkeeping:
 * no promises, no timers.
 */
export class LandingQueue {
  readonly #ring: EntryRing;
  /** Logical end (exclusive) of each request sent on this connection and not yet acknowledged. */
  readonly #wireEnds = new NumberQueue();
  /** Repeated-field bytes of each of those requests (what slow start doubles from). */
  readonly #wireFieldBytes = new NumberQueue();
  readonly #slowStart: SlowStart;
  /** Requests acknowledged on the current connection (A.15: none, and the next one starts slow). */
  #ackedHere = 0;
  /** The largest of them (bytes of the batch field): the size this connection proved to get through. */
  #largestAckedHere = 0;
  #wireBase = 0;
  #wireNext = 0;
  #lastAck = -1;
  #sentEnd = 0;
  /** Payload bytes accepted and not yet handed to the connection (`[sentEnd, end)`). */
  #unsentBytes = 0;
  #recordsInFlight = 0;
  #bytesInFlight = 0;
  #recordsAccepted = 0;
  #bytesAccepted = 0;
  #recordsAcked = 0;
  #recordsResent = 0;
  /** Successful reconnections (kept here so every counter of `stats()` lives in one place). */
  recoveries = 0;
  /** Connections the server created, the first included. */
  connections = 0;
  /** Records and payload bytes the last acknowledgement that made progress covered. */
  ackedRecords = 0;
  ackedBytes = 0;
  /** The stamp of the oldest entry the last acknowledgement covered (a timed queue only). */
  ackedOldestStamp = 0;
  /** Records and bytes of the entries {@link requeueSent} moved back to be sent again, since last taken. */
  resendRecords = 0;
  resendBytes = 0;
  /** The connection that holds the records of the requests sent on it (see {@link holdSent}). */
  #holder: HeldRecords | undefined;

  /**
   * `maxFieldBytes` bounds the repeated field of a coalesced batch so that the whole request stays within
   * `maxMessageBytes` (see {@link maxBatchFieldBytes}); `log` receives slow start's changes of limits;
   * `timed`: entries can be stamped ({@link stamp}) and acks report the oldest stamp they cover.
   */
  constructor(maxFieldBytes: number, log: (message: string) => void = () => {}, timed = false) {
    this.#slowStart = new SlowStart(maxFieldBytes, log);
    this.#ring = new EntryRing(0, timed);
    this.#timed = timed;
  }

  readonly #timed: boolean;

  /** Stamps the entry at `offset` with `at` (a timed queue only). */
  stamp(offset: number, at: number): void {
    this.#ring.stamp(offset, at);
  }

  /** The oldest unacknowledged logical offset (everything below it is acknowledged). */
  get start(): number {
    return this.#ring.start;
  }

  /** The next logical offset to assign. */
  get end(): number {
    return this.#ring.end;
  }

  get hasQueued(): boolean {
    return this.#sentEnd < this.#ring.end;
  }

  get hasSentUnacked(): boolean {
    return this.#wireEnds.length > 0;
  }

  /** Payload bytes accepted and not yet handed to the connection. */
  get unsentBytes(): number {
    return this.#unsentBytes;
  }

  /** Whether an entry of `count` records and `bytes` bytes fits under the limits now. */
  hasRoom(count: number, bytes: number, maxRecords: number, maxBytes: number): boolean {
    return this.#recordsInFlight + count <= maxRecords && this.#bytesInFlight + bytes <= maxBytes;
  }

  /** Appends an accepted entry (with each record's length for a batch); returns its logical offset. */
  push(payload: EntryPayload, count: number, bytes: number, lengths?: readonly number[]): number {
    this.#recordsInFlight += count;
    this.#bytesInFlight += bytes;
    this.#unsentBytes += bytes;
    this.#recordsAccepted += count;
    this.#bytesAccepted += bytes;
    return this.#ring.push(payload, bytes, lengths);
  }

  /**
   * See `StreamEngine.nextRequest`. Requests are cut at slow start's size limit, which is the coalescing
   * limit unless a connection made no progress (A.15); `undefined` also when slow start's window is full.
   */
  nextRequest(): WireRequest | undefined {
    const start = this.#sentEnd;
    const end = this.#ring.end;
    if (start >= end) return undefined;
    const slowStart = this.#slowStart;
    if (!slowStart.allows(this.#wireEnds.length)) return undefined;
    const stop = this.#ring.coalesce(start, end, slowStart.sizeLimit);
    let records: readonly WireRecord[];
    let recordBytes: readonly number[];
    let batch = true;
    if (stop > start + 1) {
      [records, recordBytes] = this.#ring.gather(start, stop, this.#ring.coalescedRecords);
    } else {
      // One entry alone: a batch goes as it is (no copy), a single record as an `IngestRecordRequest`.
      const first = this.#ring.payloadAt(start);
      if (isBatch(first)) {
        records = first;
        recordBytes = this.#ring.lengthsAt(start) as readonly number[];
      } else {
        batch = false;
        records = [first];
        recordBytes = [this.#ring.bytesAt(start)];
      }
    }
    const payloadBytes = this.#ring.coalescedPayloadBytes;
    this.#unsentBytes -= payloadBytes;
    this.#sentEnd = stop;
    this.#wireEnds.push(stop);
    this.#wireFieldBytes.push(this.#ring.coalescedFieldBytes);
    return {
      wireOffset: this.#wireNext++,
      batch,
      records,
      recordBytes,
      payloadBytes,
      firstOffset: BigInt(start),
      lastOffset: BigInt(stop - 1),
    };
  }

  /**
   * Applies an ack of wire offset `upTo`. Returns the new logical end of the acknowledged prefix when the
   * ack made progress, `undefined` when it repeated the previous one, or a `protocol_error` (A.2) when it
   * went back or past what was sent on this connection; nothing changes then.
   */
  acknowledge(upTo: number): number | ZerobusError | undefined {
    if (upTo < this.#lastAck) {
      return new ZerobusError(
        "protocol_error",
        `the server acknowledged offset ${upTo} after offset ${this.#lastAck}: acknowledgements must not go back`,
      );
    }
    if (upTo >= this.#wireNext) {
      return new ZerobusError(
        "protocol_error",
        `the server acknowledged offset ${upTo} but only offsets up to ${this.#wireNext - 1} were sent on this connection`,
      );
    }
    if (upTo === this.#lastAck) return undefined;
    const index = upTo - this.#wireBase;
    const end = this.#wireEnds.at(index);
    for (let i = 0; i <= index; i++) {
      const fieldBytes = this.#wireFieldBytes.at(i);
      if (fieldBytes > this.#largestAckedHere) this.#largestAckedHere = fieldBytes;
      this.#slowStart.acknowledged(fieldBytes);
    }
    this.#ackedHere += index + 1;
    this.#wireEnds.drop(index + 1);
    this.#wireFieldBytes.drop(index + 1);
    this.#wireBase = upTo + 1;
    this.#lastAck = upTo;
    if (this.#timed) this.ackedOldestStamp = this.#ring.stampAt(this.#ring.start);
    this.#ring.releaseTo(end);
    const records = this.#ring.releasedRecords;
    const bytes = this.#ring.releasedBytes;
    this.#recordsInFlight -= records;
    this.#bytesInFlight -= bytes;
    this.#recordsAcked += records;
    this.ackedRecords = records;
    this.ackedBytes = bytes;
    return end;
  }

  /**
   * The connection took `request` and holds its records until they are acknowledged: the ring drops its
   * copy (one copy of each record per process). Reads go to `holder` until {@link restoreHeld}.
   */
  holdSent(request: WireRequest, holder: HeldRecords): void {
    this.#holder = holder;
    this.#ring.hold(Number(request.firstOffset), Number(request.lastOffset) + 1);
  }

  /**
   * The connection is ending: the records it holds come back into the ring (to be sent again, or kept as
   * unacknowledged), and it lets go of them. Call before anything else reads the ring.
   */
  restoreHeld(): void {
    const holder = this.#holder;
    if (holder === undefined) return;
    this.#holder = undefined;
    const payloads = this.#readHeld(holder);
    const start = this.#ring.start;
    for (let i = 0; i < payloads.length; i++) {
      const payload = payloads[i];
      if (payload !== undefined) this.#ring.restore(start + i, payload);
    }
    holder.releaseAll();
  }

  /**
   * The payloads of the held entries, indexed from the ring's start (`undefined` for entries not held):
   * every request sent on this connection and not acknowledged is read back at once, then split into its
   * entries in order (a batch takes as many records as it had, a single record one).
   */
  #readHeld(holder: HeldRecords): (EntryPayload | undefined)[] {
    const requests = this.#wireEnds.length;
    const payloads: (EntryPayload | undefined)[] = [];
    if (requests === 0) return payloads;
    const read = holder.readBack(this.#wireBase, this.#wireBase + requests - 1);
    let offset = this.#ring.start;
    for (let i = 0; i < requests; i++) {
      const records = read[i] as WireRecord[];
      const end = this.#wireEnds.at(i);
      let next = 0;
      for (; offset < end; offset++) {
        const stored = this.#ring.storedAt(offset);
        const count = this.#ring.recordCountAt(offset);
        if (!(stored instanceof HeldPayload)) payloads.push(undefined);
        else payloads.push(stored.batch ? records.slice(next, next + count) : (records[next] as WireRecord));
        next += count;
      }
    }
    return payloads;
  }

  /** The payload of every unacknowledged entry, held ones read back from the connection. */
  #unackedPayloads(): EntryPayload[] {
    const held = this.#holder === undefined ? [] : this.#readHeld(this.#holder);
    const payloads: EntryPayload[] = [];
    const start = this.#ring.start;
    for (let offset = start; offset < this.#ring.end; offset++) {
      payloads.push(held[offset - start] ?? this.#ring.payloadAt(offset));
    }
    return payloads;
  }

  /** Whether slow start limits requests now (then an ack may let held requests go). */
  get slowStarting(): boolean {
    return this.#slowStart.active;
  }

  /**
   * Sent-unacked entries go back to the front; wire offsets restart at 0. Returns the records to resend.
   * A connection that ends with requests in flight and no ack that advanced restarts slow start (A.15);
   * one that made progress first hands the next one the size and window it got acknowledged.
   */
  requeueSent(): number {
    if (this.#wireEnds.length > 0) {
      if (this.#ackedHere === 0) this.#slowStart.restart();
      else this.#slowStart.resumeAt(this.#largestAckedHere, this.#ackedHere);
    }
    this.#ackedHere = 0;
    this.#largestAckedHere = 0;
    let resent = 0;
    let resentBytes = 0;
    for (let offset = this.#ring.start; offset < this.#sentEnd; offset++) {
      resent += this.#ring.recordCountAt(offset);
      resentBytes += this.#ring.bytesAt(offset);
    }
    this.#unsentBytes += resentBytes;
    this.#recordsResent += resent;
    this.resendRecords += resent;
    this.resendBytes += resentBytes;
    this.#sentEnd = this.#ring.start;
    this.#wireEnds.clear();
    this.#wireFieldBytes.clear();
    this.#wireBase = 0;
    this.#wireNext = 0;
    this.#lastAck = -1;
    return resent;
  }

  /** Unacknowledged records in offset order. */
  unackedRecords(): WireRecord[] {
    const records: WireRecord[] = [];
    for (const payload of this.#unackedPayloads()) {
      // One by one: spreading a batch of 100,000s of records as arguments would overflow the stack.
      if (isBatch(payload)) for (const record of payload) records.push(record);
      else records.push(payload);
    }
    return records;
  }

  /** Unacknowledged records, one array per ingest call. */
  unackedBatches(): WireRecord[][] {
    return this.#unackedPayloads().map((payload) => (isBatch(payload) ? payload.slice() : [payload]));
  }

  stats(): StreamStats {
    return {
      recordsAccepted: this.#recordsAccepted,
      bytesAccepted: this.#bytesAccepted,
      recordsAcked: this.#recordsAcked,
      recordsInFlight: this.#recordsInFlight,
      bytesInFlight: this.#bytesInFlight,
      recordsResent: this.#recordsResent,
      recoveries: this.recoveries,
      connections: this.connections,
      requestSizeLimit: this.#slowStart.sizeLimit,
    };
  }
}

/**
 * The largest repeated field an `IngestRecordBatchRequest` may carry so that the whole request stays
 * within `maxMessageBytes` (computed once per stream, so coalescing compares one number per record).
 */
export function maxBatchFieldBytes(maxMessageBytes: number): number {
  let low = 0;
  let high = maxMessageBytes;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (batchRequestSize(middle) <= maxMessageBytes) low = middle;
    else high = middle - 1;
  }
  return low;
}
