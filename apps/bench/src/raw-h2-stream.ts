import { type ClientHttp2Stream, connect } from "node:http2";
import { encodeCreateRequest } from "@zerobus/backend-js";
import { RecordType } from "@zerobus/core";
import { EPHEMERAL_STREAM_PATH } from "@zerobus/proto";
import type { BenchTarget } from "./clients/target.js";
import { endpointOf } from "./clients/target.js";
import { deferred } from "./deferred.js";
import { ackOffsetOf, FrameReader, frame } from "./grpc-frames.js";

/** An `EphemeralStream` call on raw `node:http2`, created and ready for ingest requests. */
export interface RawH2Stream {
  /** The HTTP/2 request: write gRPC-framed bytes to it (and wait for `'drain'` when it says `false`). */
  readonly request: ClientHttp2Stream;
  /** Ends the call and the connection. */
  end(): void;
}

/**
 * Opens the Zerobus call with no gRPC library: one HTTP/2 request, the create request written, resolved
 * once the server answered it. `onAck(offset)` runs for every acknowledgement that follows.
 */
export async function openRawH2Stream(
  target: BenchTarget,
  onAck: (offset: number) => void,
): Promise<RawH2Stream> {
  const session = connect(endpointOf(target), target.ca === undefined ? {} : { ca: target.ca });
  const request = session.request({
    ":method": "POST",
    ":path": EPHEMERAL_STREAM_PATH,
    "content-type": "application/grpc",
    te: "trailers",
  });
  const reader = new FrameReader();
  const created = deferred();
  request.on("data", (chunk: Buffer) =>
    reader.push(chunk, (buffer, start) => {
      if (buffer[start] === 0x0a) created.resolve();
      else onAck(ackOffsetOf(buffer, start));
    }),
  );
  request.write(frame(encodeCreateRequest({ tableName: "bench.default.t" }, RecordType.Json)));
  await created.promise;
  return {
    request,
    end: () => {
      request.end();
      session.close();
    },
  };
}
