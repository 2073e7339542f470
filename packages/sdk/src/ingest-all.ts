import type { CallOptions } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import { cancelledError, refusedBySignal, untilAborted } from "@zerobus/core/internal";
import type { IngestTarget } from "./ingest-target.js";

/** Options of `stream.ingestAll`. */
export interface IngestAllOptions extends CallOptions {
  /** Group records into `ingestRecords` batches of this size (each batch is one offset); default: one by one. */
  batchSize?: number;
}

/** What `stream.ingestAll` resolves to. */
export interface IngestAllResult {
  /** Records accepted. */
  count: number;
  /** Offset of the last ingest call, or undefined when the source was empty. */
  lastOffset: bigint | undefined;
}

/**
 * `stream.ingestAll`: every record of a sync or async iterable, one by one or in batches of `batchSize`,
 * waiting for room as needed. Records already read when the source throws are ingested before its error
 * is passed on (so `batchSize` never changes which records are delivered); `signal` also stops a wait for
 * the source's next record.
 */
export async function ingestAll<T>(
  stream: IngestTarget<T>,
  source: Iterable<T> | AsyncIterable<T>,
  options: IngestAllOptions,
  batchSize: number | undefined,
): Promise<IngestAllResult> {
  const iterator = iteratorOf(source);
  const signal = options.signal;
  const refused = refusedBySignal(signal, "ingestAll");
  if (refused !== undefined) return refused;
  const call = signal ? { signal } : {};
  let count = 0;
  let lastOffset: bigint | undefined;
  let batch: T[] = [];
  const sendBatch = async () => {
    const records = batch;
    batch = [];
    lastOffset = await stream.ingestRecords(records, call);
    count += records.length;
  };
  for (;;) {
    let next: IteratorResult<T>;
    try {
      const step = iterator.next();
      // An async source's next record is awaited until the signal fires; a sync one is there already.
      next = await (signal !== undefined && step instanceof Promise
        ? untilAborted(step, signal, () => cancelledError(signal, "ingestAll"))
        : step);
    } catch (error) {
      // The source failed (or the wait for it was cancelled): what it gave so far still goes in.
      if (!signal?.aborted && batch.length > 0) await sendBatch();
      if (signal?.aborted) void Promise.resolve(iterator.return?.()).catch(() => {});
      throw error;
    }
    if (next.done === true) break;
    if (batchSize === undefined) {
      lastOffset = await stream.ingestRecord(next.value, call);
      count++;
    } else {
      batch.push(next.value);
      if (batch.length >= batchSize) await sendBatch();
    }
  }
  if (batch.length > 0) await sendBatch();
  return { count, lastOffset };
}

function iteratorOf<T>(source: Iterable<T> | AsyncIterable<T>): Iterator<T> | AsyncIterator<T> {
  const candidate = source as Partial<Iterable<T> & AsyncIterable<T>> | null;
  const asyncIterator = candidate?.[Symbol.asyncIterator];
  if (typeof asyncIterator === "function") return asyncIterator.call(source);
  const iterator = candidate?.[Symbol.iterator];
  if (typeof iterator === "function") return iterator.call(source);
  throw new ZerobusError("invalid_argument", "ingestAll takes an iterable or an async iterable of records");
}
