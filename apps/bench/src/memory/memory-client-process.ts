import { setTimeout as sleep } from "node:timers/promises";
import { makeSizedRecords } from "../records.js";
import type { MemoryClientName, MemoryStream } from "./memory-clients.js";
import { openMemoryClient } from "./memory-clients.js";
import type { MemoryFigures } from "./memory-sampler.js";
import { collectGarbage, RssSampler, readMemory } from "./memory-sampler.js";
import { nativeAllocatorLiveBytes } from "./native-allocator.js";

/**
 * One W5 client for one workload, in a process of its own (`fork`, `--expose-gc`), run once:
 * 1. `run`: opens its stream (TLS), collects garbage and reads the idle figures; ingests every batch
 *    (made on the fly, so the caller keeps no record: whatever stays in memory is the client's), reading
 *    RSS every 20 ms and every 10 batches; answers `ingested` and starts its flush, which waits for acks.
 * 2. `snapshot` (sent once the server received every record): reads RSS, collects garbage and reads
 *    every figure while all records are held unacknowledged; answers `held`.
 * 3. The parent has the server acknowledge everything; once the flush resolves, waits, collects garbage
 *    and reads the figures again; then closes the stream, collects garbage, reads them once more (what
 *    the stream itself kept after its acks) and answers `done`.
 */

/** What the parent asks first. */
export interface MemoryRunRequest {
  type: "run";
  endpoint: string;
  caPem: string;
  records: number;
  batchSize: number;
  recordBytes: number;
}

/** What this process answers, in order. */
export type MemoryReply =
  | { type: "unavailable"; reason: string }
  | { type: "error"; message: string }
  | { type: "ingested"; settings: string; idle: MemoryFigures; ingestMs: number }
  | { type: "held"; held: MemoryFigures; peakRssUnacked: number }
  | {
      type: "done";
      afterAck: MemoryFigures;
      afterClose: MemoryFigures;
      peakRssWithAcks: number;
      ackMs: number;
    };

const SAMPLE_MS = 20;
const name = process.argv[2] as MemoryClientName;
const rustLive = name === "native" ? nativeAllocatorLiveBytes : undefined;
const sampler = new RssSampler();
let stream: MemoryStream | undefined;
let flushed: Promise<void> | undefined;
/** Set when the flush resolved: before the parent released the acks, the run would measure nothing. */
let acknowledged = false;

function reply(message: MemoryReply): void {
  process.send?.(message);
}

async function run(request: MemoryRunRequest): Promise<void> {
  const opened = await openMemoryClient(name, request);
  if ("unavailable" in opened) {
    reply({ type: "unavailable", reason: opened.unavailable });
    return;
  }
  stream = opened.stream;
  await collectGarbage();
  const idle = readMemory(rustLive);
  sampler.start(SAMPLE_MS);
  const started = performance.now();
  for (let first = 0, call = 0; first < request.records; first += request.batchSize, call++) {
    const count = Math.min(request.batchSize, request.records - first);
    await stream.ingestBatch(makeSizedRecords(count, request.recordBytes, first));
    if (call % 10 === 0) sampler.sample();
  }
  sampler.sample();
  const ingestMs = performance.now() - started;
  flushed = stream.flush().then(() => {
    acknowledged = true;
  });
  // Reported when the parent asks for it; a rejection before then must not go unhandled.
  flushed.catch(() => {});
  reply({ type: "ingested", settings: opened.settings, idle, ingestMs });
}

async function snapshot(): Promise<void> {
  sampler.sample();
  await collectGarbage();
  const held = readMemory(rustLive);
  sampler.sample();
  if (acknowledged) throw new Error("the records were acknowledged before the server released its acks");
  reply({ type: "held", held, peakRssUnacked: sampler.peak });
  const started = performance.now();
  await flushed;
  const ackMs = performance.now() - started;
  sampler.sample();
  sampler.stop();
  // Let whatever the last acks released settle (Rust frees on its own threads) before collecting.
  await sleep(200);
  await collectGarbage();
  const afterAck = readMemory(rustLive);
  await stream?.close();
  stream = undefined;
  await sleep(200);
  await collectGarbage();
  const afterClose = readMemory(rustLive);
  reply({ type: "done", afterAck, afterClose, peakRssWithAcks: sampler.peak, ackMs });
}

function failed(error: unknown): void {
  sampler.stop();
  reply({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}

process.on("message", (message: MemoryRunRequest | { type: "snapshot" }) => {
  if (message.type === "run") run(message).catch(failed);
  else if (message.type === "snapshot") snapshot().catch(failed);
});
process.on("disconnect", () => {
  // The stream is closed here only to be tidy; the process exits either way.
  const closing = stream?.close() ?? Promise.resolve();
  void Promise.race([closing.catch(() => {}), sleep(5_000)]).then(() => process.exit(0));
});
process.send?.({ type: "ready" });
