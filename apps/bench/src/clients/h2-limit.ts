import { once } from "node:events";
import { connect } from "node:http2";
import { encodeCreateRequest } from "@zerobus/backend-js";
import { RecordType } from "@zerobus/core";
import { EPHEMERAL_STREAM_PATH } from "@zerobus/proto";
import { deferred } from "../deferred.js";
import { ackOffsetOf, FrameReader, frame } from "../grpc-frames.js";
import type { Timing } from "../timing.js";
import { startTiming } from "../timing.js";
import type { Workload } from "../workload.js";
import { encodeMessages } from "../workload.js";

/** Bytes gathered into one write: large enough that the per-write cost vanishes. */
const WRITE_BYTES = 64 * 1024;

/**
 * `h2-limit`: raw `node:http2`, one pre-encoded gRPC message per ingest unit, frames gathered into few
 * large writes. No gRPC library, no per-message promise: the practical ceiling of a client that sends
 * one message per record. Returns the time from the first write to the last ack.
 */
export async function runH2Limit(port: number, workload: Workload): Promise<Timing> {
  const messages = encodeMessages(workload).map(frame);
  const last = messages.length - 1;
  const session = connect(`http://127.0.0.1:${port}`);
  const request = session.request({
    ":method": "POST",
    ":path": EPHEMERAL_STREAM_PATH,
    "content-type": "application/grpc",
    te: "trailers",
  });
  const reader = new FrameReader();
  const created = deferred();
  const done = deferred();
  request.on("data", (chunk: Buffer) =>
    reader.push(chunk, (buffer, start) => {
      if (buffer[start] === 0x0a) created.resolve();
      else if (ackOffsetOf(buffer, start) === last) done.resolve();
    }),
  );
  request.write(frame(encodeCreateRequest({ tableName: "bench.default.t" }, RecordType.Json)));
  await created.promise;
  const stop = startTiming();
  let index = 0;
  while (index < messages.length) {
    const from = index;
    let bytes = 0;
    while (index < messages.length && bytes < WRITE_BYTES) bytes += (messages[index++] as Buffer).length;
    if (!request.write(Buffer.concat(messages.slice(from, index), bytes))) await once(request, "drain");
  }
  await done.promise;
  const timing = stop();
  request.end();
  session.close();
  return timing;
}
