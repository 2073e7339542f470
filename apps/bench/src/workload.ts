import { encodeIngestRequest } from "@zerobus/backend-js";
import { RecordType } from "@zerobus/core";
import type { Timing } from "./timing.js";
import { startTiming } from "./timing.js";

/** What one run sends: single records (one ingest call each) or batches (one call per batch). */
export type Workload =
  | { readonly kind: "singles"; readonly records: readonly string[] }
  | { readonly kind: "batches"; readonly batches: readonly (readonly string[])[] };

/** Records carried by a workload. */
export function recordCount(workload: Workload): number {
  return workload.kind === "singles"
    ? workload.records.length
    : workload.batches.reduce((sum, batch) => sum + batch.length, 0);
}

/**
 * The workload as pre-encoded `EphemeralStreamRequest`s with wire offsets 0, 1, 2, …: one per record for
 * singles, one per batch for batches (what a client without coalescing must send).
 */
export function encodeMessages(workload: Workload): Buffer[] {
  const units = workload.kind === "singles" ? workload.records.map((record) => [record]) : workload.batches;
  return units.map((records, wireOffset) =>
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
}

/** What the awaited clients of our API ingest into: the SDK's stream and the core stream alike. */
export interface AwaitedStream {
  ingestRecord(record: string): Promise<unknown>;
  ingestRecords(records: readonly string[]): Promise<unknown>;
  flush(): Promise<unknown>;
}

/** Ingests the workload, each call awaited one by one, then flushes: timed from the first call to the flush's end. */
export async function ingestAwaited(stream: AwaitedStream, workload: Workload): Promise<Timing> {
  const stop = startTiming();
  if (workload.kind === "singles") {
    for (const record of workload.records) await stream.ingestRecord(record);
  } else {
    for (const batch of workload.batches) await stream.ingestRecords(batch);
  }
  await stream.flush();
  return stop();
}
