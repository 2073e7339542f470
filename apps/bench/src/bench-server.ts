import { createServer } from "node:http2";
import { ackFrame, createdFrame, FrameReader, readVarint } from "./grpc-frames.js";

/**
 * The bench server, run in its own process (`fork`): a plaintext HTTP/2 server answering the Zerobus
 * `EphemeralStream` call with headers at once, the create response, and one cumulative ack per chunk of
 * data read. It parses only the envelope (tags, offsets, record counts). It reports records received and
 * its own CPU time to the parent over IPC when asked.
 */

let records = 0;
let requests = 0;
let cpuAtReset = process.cpuUsage();

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

const server = createServer({ settings: { initialWindowSize: WINDOW_BYTES } });
server.on("session", (session) => {
  session.on("connect", () => session.setLocalWindowSize(WINDOW_BYTES));
  if (!session.connecting) session.setLocalWindowSize(WINDOW_BYTES);
});
server.on("stream", (stream) => {
  // Headers at once (the native core waits for them before sending anything, PROTOCOL.md B §1.3).
  stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
  stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
  const reader = new FrameReader();
  let acked = -1;
  let highest = -1;
  const onMessage = (buffer: Buffer, start: number) => {
    const offset = readRequest(buffer, start);
    if (offset < 0) stream.write(createdFrame("bench-stream"));
    else highest = offset;
  };
  stream.on("data", (chunk: Buffer) => {
    reader.push(chunk, onMessage);
    if (highest > acked) {
      acked = highest;
      stream.write(ackFrame(acked));
    }
  });
  stream.on("end", () => stream.end());
  stream.on("error", () => {});
});
server.on("sessionError", () => {});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  process.send?.({ type: "ready", port });
});

process.on("message", (message: { type: string }) => {
  if (message.type === "report") {
    const cpu = process.cpuUsage(cpuAtReset);
    process.send?.({ type: "report", records, requests, cpuMs: (cpu.user + cpu.system) / 1000 });
    records = 0;
    requests = 0;
    cpuAtReset = process.cpuUsage();
  } else if (message.type === "stop") {
    server.close();
    process.exit(0);
  }
});
