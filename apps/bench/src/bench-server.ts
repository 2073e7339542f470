import { createSecureServer, createServer, type ServerHttp2Stream } from "node:http2";
import { ackFrame, createdFrame, FrameReader, readVarint } from "./grpc-frames.js";

/**
 * The bench server, run in its own process (`fork`): a plaintext HTTP/2 server answering the Zerobus
 * `EphemeralStream` call with headers at once, the create response, and one cumulative ack per chunk of
 * data read. It parses only the envelope (tags, offsets, record counts). It reports records received and
 * its own CPU time to the parent over IPC when asked.
 *
 * For the memory workload (W5) it also serves TLS (when the parent passes a certificate and key in
 * `BENCH_TLS_CERT` and `BENCH_TLS_KEY`), and can withhold acks (`holdAcks`) until told to acknowledge
 * everything received so far (`releaseAcks`), so that a client holds all it sent unacknowledged.
 *
 * For the latency workload (W4) it can delay every ack write by a fixed time (`ackDelay`), standing in
 * for the service's durability wait: one timer per ack write, so acks keep their order and stay cumulative.
 */

let records = 0;
let requests = 0;
let cpuAtReset = process.cpuUsage();
let holdingAcks = false;
/** Milliseconds each ack write waits (W4); 0 writes at once, as before. Set between runs, never mid-stream. */
let ackDelayMs = 0;
/** The open streams and the highest offset each received, for `releaseAcks`. */
const highestByStream = new Map<ServerHttp2Stream, { highest: number; acked: number }>();

/** Counts the records of one ingest request; returns its offset, or -1 for a create request. */
function readRequest(buffer: Buffer, start: number): number {
  const tag = buffer[start];
  if (tag === 0x0a) return -1;
  const [, afterOuter] = readVarint(buffer, start + 1);
  const [offset, afterOffset] = readVarint(buffer, afterOuter + 1);
  requests++;
  if (tag === 0x12) {
    records++;
    return offset;
  }
  // Batch: walk the repeated field, one length-prefixed entry per record.
  const [body, bodyStart] = readVarint(buffer, afterOffset + 1);
  const bodyEnd = bodyStart + body;
  let position = bodyStart;
  while (position < bodyEnd) {
    const [length, payloadStart] = readVarint(buffer, position + 1);
    position = payloadStart + length;
    records++;
  }
  return offset;
}

/**
 * HTTP/2 flow-control window of the server (stream and connection). Node's default of 64 KiB makes any
 * client stall on window updates; a service built for bulk ingestion advertises far more.
 */
const WINDOW_BYTES = 16 * 1024 * 1024;

const tlsCert = process.env.BENCH_TLS_CERT;
const tlsKey = process.env.BENCH_TLS_KEY;
const settings = { initialWindowSize: WINDOW_BYTES };
const server =
  tlsCert !== undefined && tlsKey !== undefined
    ? createSecureServer({ cert: tlsCert, key: tlsKey, settings })
    : createServer({ settings });
server.on("session", (session) => {
  session.on("connect", () => session.setLocalWindowSize(WINDOW_BYTES));
  if (!session.connecting) session.setLocalWindowSize(WINDOW_BYTES);
});
server.on("stream", (stream) => {
  // Headers at once (the native core waits for them before sending anything, PROTOCOL.md B §1.3).
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
  const reader = new FrameReader();
  const state = { highest: -1, acked: -1 };
  highestByStream.set(stream, state);
  const onMessage = (buffer: Buffer, start: number) => {
    const offset = readRequest(buffer, start);
    if (offset < 0) stream.write(createdFrame("bench-stream"));
    else state.highest = offset;
  };
  stream.on("data", (chunk: Buffer) => {
    reader.push(chunk, onMessage);
    if (!holdingAcks) ackUpToHighest(stream, state);
  });
  stream.on("end", () => stream.end());
  stream.on("close", () => highestByStream.delete(stream));
  stream.on("error", () => {});
});
server.on("sessionError", () => {});

function ackUpToHighest(stream: ServerHttp2Stream, state: { highest: number; acked: number }): void {
  if (state.highest > state.acked && !stream.closed) {
    state.acked = state.highest;
    writeAck(stream, state.acked);
  }
}

/**
 * Writes one cumulative ack, after {@link ackDelayMs} when set. Timers of one duration fire in the order
 * they were set, so delayed acks stay in order; a stream that ended meanwhile gets none.
 */
function writeAck(stream: ServerHttp2Stream, upTo: number): void {
  if (ackDelayMs === 0) {
    stream.write(ackFrame(upTo));
    return;
  }
  setTimeout(() => {
    if (!stream.closed && !stream.writableEnded) stream.write(ackFrame(upTo));
  }, ackDelayMs);
}

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  process.send?.({ type: "ready", port });
});

process.on("message", (message: { type: string; ms?: number }) => {
  if (message.type === "report") {
    const cpu = process.cpuUsage(cpuAtReset);
    process.send?.({ type: "report", records, requests, cpuMs: (cpu.user + cpu.system) / 1000 });
    records = 0;
    requests = 0;
    cpuAtReset = process.cpuUsage();
  } else if (message.type === "received") {
    process.send?.({ type: "received", records });
  } else if (message.type === "holdAcks") {
    holdingAcks = true;
    process.send?.({ type: "holdingAcks" });
  } else if (message.type === "releaseAcks") {
    holdingAcks = false;
    for (const [stream, state] of highestByStream) ackUpToHighest(stream, state);
    process.send?.({ type: "releasedAcks" });
  } else if (message.type === "ackDelay") {
    ackDelayMs = message.ms ?? 0;
    process.send?.({ type: "ackDelaySet" });
  } else if (message.type === "stop") {
    server.close();
    process.exit(0);
  }
});
