import { once } from "node:events";
import { Worker } from "node:worker_threads";
import { worstCaseBytes, writeRepeatedRecord } from "../repeated-records.js";
import {
  createSharedSlots,
  ENDED,
  PUBLISHED,
  RELEASED,
  type SharedSlots,
  SIGNAL,
  SlotViews,
} from "../shared-slots.js";
import type { Timing } from "../timing.js";
import { startTiming } from "../timing.js";
import type { Workload } from "../workload.js";

/**
 * `worker-floor`: like `api-floor`, the least a client of the awaited API can pay per record, but with
 * the sending moved off the caller's thread, to show whether a worker-thread design could reach the
 * single-record target. The caller's thread only assigns the offset, writes the record into a shared
 * request slot with one UTF-8 write and returns a resolved promise; a worker thread frames each full slot
 * (a MiB, as backend-js coalesces) and writes it on its own raw `node:http2` call with no copy. No limits,
 * no bookkeeping, nothing kept for recovery, no gRPC library. The timing covers both threads (its CPU
 * figure too: the process's).
 */
export async function runWorkerFloor(port: number, workload: Workload): Promise<Timing> {
  const slots = createSharedSlots();
  const worker = new Worker(new URL("./worker-floor-thread.js", import.meta.url), {
    workerData: { port, slots },
  });
  await once(worker, "message");
  const acked = once(worker, "message");
  const writer = new SlotWriter(slots);
  const stop = startTiming();
  if (workload.kind === "singles") {
    for (const record of workload.records) await writer.ingestRecord(record);
  } else {
    for (const batch of workload.batches) await writer.ingestRecords(batch);
  }
  writer.end();
  await acked;
  const timing = stop();
  await worker.terminate();
  return timing;
}

/** The caller's side of `worker-floor`: records written into shared slots, one published when full. */
export class SlotWriter {
  readonly #views: SlotViews;
  /** The slot being filled (counted from 0 over every slot ever used). */
  #slot = 0;
  #position: number;
  #limit: number;
  #nextOffset = 0;

  constructor(slots: SharedSlots) {
    this.#views = new SlotViews(slots);
    this.#position = this.#views.bodyStart(0);
    this.#limit = this.#position + slots.slotBodyBytes;
  }

  ingestRecord(record: string): Promise<bigint> {
    const offset = BigInt(this.#nextOffset++);
    if (this.#position + worstCaseBytes(record) <= this.#limit) {
      this.#position = writeRepeatedRecord(this.#views.buffer, this.#position, record);
      return Promise.resolve(offset);
    }
    return this.#writeAfterPublishing([record]).then(() => offset);
  }

  ingestRecords(records: readonly string[]): Promise<bigint> {
    const offset = BigInt(this.#nextOffset++);
    for (let index = 0; index < records.length; index++) {
      const record = records[index] as string;
      if (this.#position + worstCaseBytes(record) > this.#limit) {
        return this.#writeAfterPublishing(records.slice(index)).then(() => offset);
      }
      this.#position = writeRepeatedRecord(this.#views.buffer, this.#position, record);
    }
    return Promise.resolve(offset);
  }

  /** Publishes the last slot and tells the sender nothing more comes. */
  end(): void {
    this.#publish();
    Atomics.store(this.#views.control, ENDED, 1);
    this.#views.bump(SIGNAL);
  }

  /** Writes records, publishing full slots and waiting for a free one on the way (the slow path). */
  async #writeAfterPublishing(records: readonly string[]): Promise<void> {
    const views = this.#views;
    for (const record of records) {
      const room = worstCaseBytes(record);
      if (room > views.slotBodyBytes)
        throw new Error(`a record of ${record.length} characters does not fit a slot`);
      if (this.#position + room > this.#limit) {
        this.#publish();
        for (
          let released = Atomics.load(views.control, RELEASED);
          this.#slot - released >= views.slotCount;
        ) {
          await views.waitWhile(RELEASED, released);
          released = Atomics.load(views.control, RELEASED);
        }
      }
      this.#position = writeRepeatedRecord(views.buffer, this.#position, record);
    }
  }

  /** Hands the slot being filled to the sender (if it holds anything) and moves to the next one. */
  #publish(): void {
    const views = this.#views;
    if (this.#position === views.bodyStart(this.#slot)) return;
    views.setBodyEnd(this.#slot, this.#position);
    this.#slot++;
    Atomics.store(views.control, PUBLISHED, this.#slot);
    views.bump(SIGNAL);
    this.#position = views.bodyStart(this.#slot);
    this.#limit = this.#position + views.slotBodyBytes;
  }
}
