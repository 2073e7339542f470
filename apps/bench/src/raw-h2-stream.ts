import { connect } from "node:http2";
import { encodeCreateRequest } from "@zerobus/backend-js";
import { RecordType } from "@zerobus/core";
import { EPHEMERAL_STREAM_PATH } from "@zerobus/proto";
import { deferred } from "./deferred.js";
import { ackOffsetOf, FrameReader, frame } from "./grpc-frames.js";

/** An `EphemeralStream` call on raw `node:http2`, created and ready for ingest requests. */
export interface RawH2Stream {
  /** Writes gRPC-framed bytes; `false` asks the caller to wait for `'drain'`. */
  write(framed: Buffer): boolean;
  readonly request: import("node:http2").ClientHttp2Stream;
  /** Ends the call and the connection. */
  end(): void;
}

/**
 * Opens the Zerobus call with no gRPC library: one HTTP/2 request, the create request written, resolved
 * once the server answered it. `onAck(offset)` runs for every acknowledgement that follows.
 */
export async function openRawH2Stream(port: number, onAck: (offset: number) => void): Promise<RawH2Stream> {
  const session = connect(`http://127.0.0.1:${port}`);
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
    write: (framed) => request.write(framed),
    request,
    end: () => {
      request.end();
      session.close();
    },
  };
}
