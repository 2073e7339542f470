import { once } from "node:events";
import * as grpc from "@grpc/grpc-js";
import { encodeCreateRequest } from "@zerobus/backend-js";
import { RecordType } from "@zerobus/core";
import { EPHEMERAL_STREAM_PATH } from "@zerobus/proto";
import { deferred } from "../deferred.js";
import { ackOffsetOf } from "../grpc-frames.js";
import type { Timing } from "../timing.js";
import { startTiming } from "../timing.js";
import type { Workload } from "../workload.js";
import { encodeMessages } from "../workload.js";
import type { BenchTarget } from "./target.js";

const identity = (bytes: Buffer) => bytes;

/**
 * `grpcjs-floor`: raw grpc-js writing pre-encoded messages (one per ingest unit), honouring 'drain'. What
 * any client on grpc-js pays per message, with nothing of ours on top. Returns the time from the
 * first write to the last ack.
 */
export async function runGrpcjsFloor(target: BenchTarget, workload: Workload): Promise<Timing> {
  const messages = encodeMessages(workload);
  const last = messages.length - 1;
  const credentials =
    target.ca === undefined
      ? grpc.credentials.createInsecure()
      : grpc.credentials.createSsl(Buffer.from(target.ca));
  const client = new grpc.Client(`127.0.0.1:${target.port}`, credentials, {
    "grpc.max_receive_message_length": -1,
  });
  const call = client.makeBidiStreamRequest(EPHEMERAL_STREAM_PATH, identity, identity, new grpc.Metadata());
  const created = deferred();
  const done = deferred();
  call.on("data", (message: Buffer) => {
    if (message[0] === 0x0a) created.resolve();
    else if (ackOffsetOf(message, 0) === last) done.resolve();
  });
  call.on("error", () => {});
  call.write(encodeCreateRequest({ tableName: "bench.default.t" }, RecordType.Json));
  await created.promise;
  const stop = startTiming();
  for (const message of messages) {
    if (!call.write(message)) await once(call, "drain");
  }
  await done.promise;
  const timing = stop();
  call.end();
  client.close();
  return timing;
}
