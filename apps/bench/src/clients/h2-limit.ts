import { once } from "node:events";
import { deferred } from "../deferred.js";
import { frame } from "../grpc-frames.js";
import { openRawH2Stream } from "../raw-h2-stream.js";
import type { Timing } from "../timing.js";
import { startTiming } from "../timing.js";
import type { Workload } from "../workload.js";
import { encodeMessages } from "../workload.js";
import type { BenchTarget } from "./target.js";

/** Bytes gathered into one write: large enough that the per-write cost vanishes. */
const WRITE_BYTES = 64 * 1024;

/** Each workload's messages with their gRPC prefix, framed once (its rounds reuse them). */
const framed = new WeakMap<Workload, Buffer[]>();

function framedMessages(workload: Workload): Buffer[] {
  let messages = framed.get(workload);
  if (messages === undefined) {
    messages = encodeMessages(workload).map(frame);
    framed.set(workload, messages);
  }
  return messages;
}

/**
 * `h2-limit`: raw `node:http2`, one pre-encoded gRPC message per ingest unit, frames gathered into few
 * large writes. No gRPC library, no per-call promise: the practical ceiling of a client that sends
 * one message per record. Returns the time from the first write to the last ack.
 */
export async function runH2Limit(target: BenchTarget, workload: Workload): Promise<Timing> {
  const messages = framedMessages(workload);
  const last = messages.length - 1;
  const done = deferred();
  const stream = await openRawH2Stream(target, (offset) => {
    if (offset === last) done.resolve();
  });
  const stop = startTiming();
  let index = 0;
  while (index < messages.length) {
    const from = index;
    let bytes = 0;
    while (index < messages.length && bytes < WRITE_BYTES) bytes += (messages[index++] as Buffer).length;
    const gathered = Buffer.concat(messages.slice(from, index), bytes);
    if (!stream.request.write(gathered)) await once(stream.request, "drain");
  }
  await done.promise;
  const timing = stop();
  stream.end();
  return timing;
}
