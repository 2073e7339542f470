import { encodeIngestRequest } from "@zerobus/backend-js";
import { RecordType } from "@zerobus/core";
import type { Timing } from "./timing.js";
import { startTiming } from "./timing.js";

/**
 * What one run sends: single records (one ingest call each) or batches (one call per batch), and how many
 * calls the awaited clients keep outstanding (1: each call awaited before the next; the floors that do not
 * await anything ignore it).
 */
export type Workload =
  | { readonly kind: "singles"; readonly records: readonly string[]; readonly outstanding: number }
  | {
      readonly kind: "batches";
      readonly batches: readonly (readonly string[])[];
      readonly outstanding: number;
    };

/** Records carried by a workload. */
export function recordCount(workload: Workload): number {
  return workload.kind === "singles"
    ? workload.records.length
    : workload.batches.reduce((sum, batch) => sum + batch.length, 0);
}

/** UTF-8 bytes of every record of a workload (what the MB/s figures count). */
export function payloadBytes(workload: Workload): number {
  const units = workload.kind === "singles" ? [workload.records] : workload.batches;
  let bytes = 0;
  for (const records of units) for (const record of records) bytes += Buffer.byteLength(record);
  return bytes;
}

/** Each workload's encoded messages, kept while the workload is (its rounds reuse it). */
const encoded = new WeakMap<Workload, Buffer[]>();

/**
 * The workload as pre-encoded `EphemeralStreamRequest`s with wire offsets 0, 1, 2, …: one per record for
 * singles, one per batch for batches (what a client without coalescing must send). Encoded once per
 * workload: the clients that send them copy them into their writes and never change them.
 */
export function encodeMessages(workload: Workload): Buffer[] {
  const cached = encoded.get(workload);
  if (cached !== undefined) return cached;
  const units = workload.kind === "singles" ? workload.records.map((record) => [record]) : workload.batches;
  const messages = units.map((records, wireOffset) =>
    encodeIngestRequest(
      {
        wireOffset,
        batch: workload.kind === "batches",
        records,
        recordBytes: records.map((record) => Buffer.byteLength(record)),
        payloadBytes: 0,
        firstOffset: 0n,
        lastOffset: 0n,
      },
      RecordType.Json,
    ),
  );
  encoded.set(workload, messages);
  return messages;
}

/** What the awaited clients of our API ingest into: the SDK's stream and the core stream alike. */
export interface AwaitedStream {
  /** Resolves with the call's offset (`null`: the official SDK's "no offset", counted out of order). */
  ingestRecord(record: string): Promise<bigint | null>;
  ingestRecords(records: readonly string[]): Promise<bigint | null>;
  flush(): Promise<unknown>;
}

/**
 * Ingests the workload, keeping `workload.outstanding` calls in flight (1: each awaited before the next),
 * then flushes: timed from the first call to the flush's end. Every call's offset is checked against the
 * previous call's (awaited in call order): `outOfOrder` counts those that did not come after it.
 */
export async function ingestInCallOrder(stream: AwaitedStream, workload: Workload): Promise<Timing> {
  const units: readonly (string | readonly string[])[] =
    workload.kind === "singles" ? workload.records : workload.batches;
  const ingest = (unit: string | readonly string[]) =>
    typeof unit === "string" ? stream.ingestRecord(unit) : stream.ingestRecords(unit);
  let outOfOrder = 0;
  let previous: bigint | null = -1n;
  const stop = startTiming();
  if (workload.outstanding <= 1) {
    // The tight loop of the awaited rows: each call awaited before the next, nothing else between.
    for (const unit of units) {
      const offset = await ingest(unit);
      if (offset === null || offset <= (previous as bigint)) outOfOrder++;
      previous = offset;
    }
  } else {
    const window = new Array<Promise<bigint | null>>(workload.outstanding);
    const settle = async (slot: number) => {
      const offset = await (window[slot] as Promise<bigint | null>);
      if (offset === null || offset <= (previous as bigint)) outOfOrder++;
      previous = offset;
    };
    for (let call = 0; call < units.length; call++) {
      const slot = call % window.length;
      if (call >= window.length) await settle(slot);
      window[slot] = ingest(units[call] as string | readonly string[]);
    }
    const oldest = Math.max(0, units.length - window.length);
    for (let call = oldest; call < units.length; call++) await settle(call % window.length);
  }
  await stream.flush();
  return { ...stop(), outOfOrder };
}
