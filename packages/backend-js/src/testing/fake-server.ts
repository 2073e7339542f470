import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import type { EphemeralStreamRequest } from "@zerobus/proto";
import {
  EPHEMERAL_STREAM_PATH,
  EphemeralStreamRequestSchema,
  EphemeralStreamResponseSchema,
} from "@zerobus/proto";

/** One call the fake server saw. */
export interface FakeCall {
  readonly metadata: grpc.Metadata;
  readonly peer: string;
  readonly requests: EphemeralStreamRequest[];
  /** Pauses or resumes reading from this call (HTTP/2 flow control then pushes back on the client). */
  readonly pause: () => void;
  readonly resume: () => void;
}

/**
 * A deliberately small Zerobus server for backend-js's own tests (encoding, write backpressure, headers,
 * channel sharing): it answers `create`, acks every ingest request at once, and records what it got.
 * Protocol scenarios run against `@zerobus/mock-server` in the conformance suite instead.
 */
export interface FakeServer {
  readonly endpoint: string;
  readonly calls: FakeCall[];
  close(): Promise<void>;
}

const encode = (message: Parameters<typeof toBinary<typeof EphemeralStreamResponseSchema>>[1]) =>
  Buffer.from(toBinary(EphemeralStreamResponseSchema, message));

/** How the fake server behaves. */
export interface FakeServerOptions {
  /** Stop reading each call right after the create response (until `FakeCall.resume()`). */
  pauseAfterCreate?: boolean;
}

/** Starts a plaintext fake server on 127.0.0.1 and an ephemeral port. */
export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": -1 });
  const calls: FakeCall[] = [];
  server.addService(
    {
      EphemeralStream: {
        path: EPHEMERAL_STREAM_PATH,
        requestStream: true,
        responseStream: true,
        requestSerialize: (value: Buffer) => value,
        requestDeserialize: (bytes: Buffer) => fromBinary(EphemeralStreamRequestSchema, bytes),
        responseSerialize: (value: Buffer) => value,
        responseDeserialize: (bytes: Buffer) => bytes,
      },
    },
    {
      EphemeralStream: (call: grpc.ServerDuplexStream<EphemeralStreamRequest, Buffer>) => {
        // Headers at once: the native core waits for them (PROTOCOL.md B §1.3).
        call.sendMetadata(new grpc.Metadata());
        const record: FakeCall = {
          metadata: call.metadata,
          peer: call.getPeer(),
          requests: [],
          pause: () => call.pause(),
          resume: () => call.resume(),
        };
        calls.push(record);
        call.on("data", (request: EphemeralStreamRequest) => {
          record.requests.push(request);
          const payload = request.payload;
          if (payload.case === "createStream") {
            call.write(
              encode(
                create(EphemeralStreamResponseSchema, {
                  payload: { case: "createStreamResponse", value: { streamId: `stream-${calls.length}` } },
                }),
              ),
            );
            if (options.pauseAfterCreate) call.pause();
          } else if (payload.case === "ingestRecord" || payload.case === "ingestRecordBatch") {
            call.write(
              encode(
                create(EphemeralStreamResponseSchema, {
                  payload: {
                    case: "ingestRecordResponse",
                    value: { durabilityAckUpToOffset: payload.value.offsetId },
                  },
                }),
              ),
            );
          }
        });
        call.on("end", () => call.end());
        call.on("error", () => {});
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
