import { encodeIngestRequest } from "@zerobus/backend-js";
import { RecordType } from "@zerobus/core";
import type { BenchTarget } from "../clients/target.js";
import { frame } from "../grpc-frames.js";
import { openRawH2Stream } from "../raw-h2-stream.js";
import type { AckTracker } from "./ack-tracker.js";
import type { LatencySession } from "./latency-session.js";

/**
 * `h2-limit` for W4: raw `node:http2`, one gRPC message per record (wire offset = the record's offset),
 * encoded before the run starts, written when the record is due; the records due at one wake go out in
 * one write. Acks are cumulative wire offsets, so one covers every record up to it. The floor of a client
 * that sends each record as its own message: no gRPC library, no promise per record.
 */
export async function openH2LimitLatency(
  target: BenchTarget,
  records: readonly string[],
  tracker: AckTracker,
): Promise<LatencySession> {
  const messages = records.map((record, wireOffset) =>
    frame(
      encodeIngestRequest(
        {
          wireOffset,
          batch: false,
          records: [record],
          recordBytes: [Buffer.byteLength(record)],
          payloadBytes: 0,
          firstOffset: 0n,
          lastOffset: 0n,
        },
        RecordType.Json,
      ),
    ),
  );
  const stream = await openRawH2Stream(target, (offset) => tracker.ackUpTo(offset));
  stream.request.on("error", (error) => tracker.fail(error));
  return {
    // No wait on 'drain': what the socket cannot take yet queues in the stream and shows as latency.
    send: (from, to) => {
      stream.request.write(
        to - from === 1 ? (messages[from] as Buffer) : Buffer.concat(messages.slice(from, to)),
      );
    },
    close: async () => stream.end(),
  };
}
