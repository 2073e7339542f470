import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { ServerProcess } from "../server-process.js";
import type { MemoryReply, MemoryRunRequest } from "./memory-client-process.js";
import type { MemoryClientName } from "./memory-clients.js";
import type { MemoryFigures } from "./memory-sampler.js";

/** One W5 workload: `records` JSON records of `recordBytes` each, ingested in batches of `batchSize`. */
export interface MemoryWorkload {
  label: string;
  records: number;
  recordBytes: number;
  batchSize: number;
}

/** The W5 workloads: 100 MB of payload each, in small and in large records. */
export const MEMORY_WORKLOADS: readonly MemoryWorkload[] = [
  { label: "1M × 100 B", records: 1_000_000, recordBytes: 100, batchSize: 100 },
  { label: "100k × 1 KB", records: 100_000, recordBytes: 1_000, batchSize: 100 },
];

/** The W5 clients, in the order they run and print. */
export const MEMORY_CLIENTS: readonly MemoryClientName[] = ["official", "native", "js"];

/** What one client measured on one workload (figures in bytes). */
export type MemoryResult = { workload: MemoryWorkload; client: MemoryClientName } & (
  | { outcome: "unavailable"; reason: string }
  | {
      outcome: "measured";
      settings: string;
      idle: MemoryFigures;
      held: MemoryFigures;
      afterAck: MemoryFigures;
      /** After the stream closed (and a GC): what the client keeps once the stream is gone. */
      afterClose: MemoryFigures;
      peakRssUnacked: number;
      peakRssWithAcks: number;
      ingestMs: number;
      ackMs: number;
      /** Requests the server received (the clients' own batching or coalescing). */
      requests: number;
    }
);

/** How long the server may take to receive everything a client ingested, and a client to answer. */
const STEP_TIMEOUT_MS = 300_000;

/**
 * Runs W5: a TLS bench server that withholds acks (its CA in a temporary file, which the official client
 * trusts through `SSL_CERT_FILE`; ours get it as `tls.ca`), and each client × workload in a fresh process
 * of its own. A client the machine cannot run is reported `unavailable`; any other failure throws.
 */
export async function runMemoryWorkloads(
  workloads: readonly MemoryWorkload[],
  log: (line: string) => void,
): Promise<MemoryResult[]> {
  const tls = await ServerProcess.startTls();
  const { server } = tls;
  const results: MemoryResult[] = [];
  try {
    for (const workload of workloads) {
      for (const client of MEMORY_CLIENTS) {
        const result = await runOne(server, workload, client, tls.ca, tls.caFile);
        results.push(result);
        log(
          result.outcome === "unavailable"
            ? `  W5 ${workload.label.padEnd(12)} ${client.padEnd(9)} not available: ${result.reason}`
            : `  W5 ${workload.label.padEnd(12)} ${client.padEnd(9)} peak RSS +${mib(result.peakRssUnacked - result.idle.rss)} MiB (${result.requests} requests; ingest ${result.ingestMs.toFixed(0)} ms, acks ${result.ackMs.toFixed(0)} ms)`,
        );
      }
    }
  } finally {
    await tls.stop();
  }
  return results;
}

function mib(bytes: number): string {
  return (bytes / 1_048_576).toFixed(1);
}

async function runOne(
  server: ServerProcess,
  workload: MemoryWorkload,
  client: MemoryClientName,
  caPem: string,
  caFile: string,
): Promise<MemoryResult> {
  await server.holdAcks();
  await server.report();
  const env = client === "official" ? { ...process.env, SSL_CERT_FILE: caFile } : process.env;
  const child = fork(new URL("./memory-client-process.js", import.meta.url), [client], {
    execArgv: ["--expose-gc"],
    stdio: "inherit",
    env,
  });
  try {
    await nextMessage(child, "ready");
    const request: MemoryRunRequest = {
      type: "run",
      endpoint: `https://127.0.0.1:${server.port}`,
      caPem,
      records: workload.records,
      batchSize: workload.batchSize,
      recordBytes: workload.recordBytes,
    };
    child.send(request);
    const first = await nextReply(child, client);
    if (first.type === "unavailable")
      return { workload, client, outcome: "unavailable", reason: first.reason };
    if (first.type !== "ingested") throw new Error(`${client}: unexpected ${first.type}`);
    await receivedAll(server, workload.records, client);
    child.send({ type: "snapshot" });
    const held = await nextReply(child, client);
    if (held.type !== "held") throw new Error(`${client}: unexpected ${held.type}`);
    await server.releaseAcks();
    const done = await nextReply(child, client);
    if (done.type !== "done") throw new Error(`${client}: unexpected ${done.type}`);
    const { requests } = await server.report();
    return {
      workload,
      client,
      outcome: "measured",
      settings: first.settings,
      idle: first.idle,
      held: held.held,
      afterAck: done.afterAck,
      afterClose: done.afterClose,
      peakRssUnacked: held.peakRssUnacked,
      peakRssWithAcks: done.peakRssWithAcks,
      ingestMs: first.ingestMs,
      ackMs: done.ackMs,
      requests,
    };
  } finally {
    if (child.connected) child.disconnect();
    if (child.exitCode === null) await once(child, "exit");
    await server.releaseAcks();
  }
}

/** Waits until the server has received every record (all sent, none acknowledged). */
async function receivedAll(server: ServerProcess, records: number, client: string): Promise<void> {
  const deadline = performance.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const received = await server.received();
    if (received >= records) return;
    if (performance.now() > deadline) {
      throw new Error(`${client}: the server received ${received} of ${records} records`);
    }
    await sleep(20);
  }
}

async function nextMessage(child: ChildProcess, type: string): Promise<void> {
  const [message] = (await once(child, "message")) as [{ type: string }];
  if (message.type !== type) throw new Error(`expected ${type}, got ${message.type}`);
}

/** The child's next answer; throws on its error, its exit, or after {@link STEP_TIMEOUT_MS}. */
async function nextReply(child: ChildProcess, client: string): Promise<MemoryReply> {
  const stop = new AbortController();
  const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(STEP_TIMEOUT_MS)]);
  try {
    const [message] = (await Promise.race([
      once(child, "message", { signal }),
      once(child, "exit", { signal }).then(([code]) => {
        throw new Error(`${client}: the client process exited (${String(code)})`);
      }),
    ])) as [MemoryReply];
    if (message.type === "error") throw new Error(`${client}: ${message.message}`);
    return message;
  } finally {
    stop.abort();
  }
}
