import { once } from "node:events";
import { deferred } from "../deferred.js";
import { openRawH2Stream, type RawH2Stream } from "../raw-h2-stream.js";
import { frameInHeadRoom, HEAD_ROOM, worstCaseBytes, writeRepeatedRecord } from "../repeated-records.js";
import type { Timing } from "../timing.js";
import type { Workload } from "../workload.js";
import { ingestInCallOrder } from "../workload.js";
import type { BenchTarget } from "./target.js";

/** Bytes of records gathered into one request before it is sent (what backend-js does between sends). */
const REQUEST_BYTES = 1024 * 1024;

/**
 * `api-floor`: not a client anyone should ship, but the least a client with this SDK's awaited API
 * (`await ingest(record)` resolving with a `bigint` offset) can pay per record on this runtime, to show
 * where the single-record target stands. Each call copies its record straight into the pending request
 * with one UTF-8 write (which measures it too) and returns an already-resolved promise; every MiB the
 * request goes out on raw `node:http2` and the next call yields once, so the send overlaps the caller's
 * loop (as backend-js does). No in-flight limits, no bookkeeping, nothing kept for recovery, no gRPC
 * library, no validation: everything backend-js does beyond this is the price of those.
 */
export async function runApiFloor(target: BenchTarget, workload: Workload): Promise<Timing> {
  const done = deferred();
  let ended = false;
  let lastSent = -1;
  const raw = await openRawH2Stream(target, (offset) => {
    if (ended && offset === lastSent) done.resolve();
  });
  const floor = new FloorStream(raw, (wireOffset) => {
    lastSent = wireOffset;
  });
  const timing = await ingestInCallOrder(
    {
      ingestRecord: (record) => floor.ingestRecord(record),
      ingestRecords: (records) => floor.ingestRecords(records),
      flush: async () => {
        ended = true;
        await floor.sendPending();
        await done.promise;
      },
    },
    workload,
  );
  raw.end();
  return timing;
}

/**
 * The api-floor's stream: the pending request's records written as a repeated field from `HEAD_ROOM` on,
 * sent as one `IngestRecordBatchRequest` every MiB. `onSent` gets each request's wire offset.
 */
export class FloorStream {
  readonly #raw: RawH2Stream;
  readonly #onSent: (wireOffset: number) => void;
  #buffer = Buffer.allocUnsafe(HEAD_ROOM + REQUEST_BYTES);
  #position = HEAD_ROOM;
  #nextOffset = 0;
  #wireOffset = 0;
  /** Set by a send: the next accepted call waits for it (a turn of the event loop, or 'drain'). */
  #pause: Promise<void> | undefined;

  constructor(raw: RawH2Stream, onSent: (wireOffset: number) => void) {
    this.#raw = raw;
    this.#onSent = onSent;
  }

  ingestRecord(record: string): Promise<bigint> {
    this.#write(record);
    return this.#accepted();
  }

  ingestRecords(records: readonly string[]): Promise<bigint> {
    for (const record of records) this.#write(record);
    return this.#accepted();
  }

  /** Sends what is pending (the end of the run). */
  async sendPending(): Promise<void> {
    this.#send();
    await this.#pause;
  }

  #accepted(): Promise<bigint> {
    const offset = BigInt(this.#nextOffset++);
    const pause = this.#pause;
    if (pause === undefined) return Promise.resolve(offset);
    this.#pause = undefined;
    return pause.then(() => offset);
  }

  /** One `records` entry written in place; a full request is sent first. */
  #write(record: string): void {
    const room = worstCaseBytes(record);
    if (this.#position + room > this.#buffer.length) {
      this.#send();
      if (HEAD_ROOM + room > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(HEAD_ROOM + room);
    }
    this.#position = writeRepeatedRecord(this.#buffer, this.#position, record);
  }

  /** Frames the pending records as one `IngestRecordBatchRequest` and writes it. */
  #send(): void {
    if (this.#position === HEAD_ROOM) return;
    const buffer = this.#buffer;
    const start = frameInHeadRoom(buffer, HEAD_ROOM, this.#position, this.#wireOffset);
    const written = this.#raw.request.write(buffer.subarray(start, this.#position));
    this.#onSent(this.#wireOffset++);
    // A new buffer: http2 still holds the old one until the socket took it.
    this.#buffer = Buffer.allocUnsafe(HEAD_ROOM + REQUEST_BYTES);
    this.#position = HEAD_ROOM;
    this.#pause = written
      ? new Promise((resolve) => setImmediate(resolve))
      : once(this.#raw.request, "drain").then(() => undefined);
  }
}
