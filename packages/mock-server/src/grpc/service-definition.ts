import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { ServiceDefinition } from "@grpc/grpc-js";
import {
  EPHEMERAL_STREAM_PATH,
  type EphemeralStreamRequest,
  EphemeralStreamRequestSchema,
  type EphemeralStreamResponse,
  EphemeralStreamResponseSchema,
} from "@zerobus/proto";

/**
 * The `databricks.zerobus.Zerobus` service for a grpc-js server. Requests arrive as raw bytes so the handler
 * can size-check them and answer undecodable ones with INVALID_ARGUMENT itself (a throwing deserializer would
 * make grpc-js answer INTERNAL). Responses may be raw bytes too, for malformed-response steps.
 */
export const zerobusServerDefinition: ServiceDefinition = {
  EphemeralStream: {
    path: EPHEMERAL_STREAM_PATH,
    requestStream: true,
    responseStream: true,
    requestSerialize: (request: EphemeralStreamRequest) =>
      Buffer.from(toBinary(EphemeralStreamRequestSchema, request)),
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (response: EphemeralStreamResponse | Uint8Array) =>
      Buffer.from(
        response instanceof Uint8Array ? response : toBinary(EphemeralStreamResponseSchema, response),
      ),
    responseDeserialize: (bytes: Buffer) => fromBinary(EphemeralStreamResponseSchema, bytes),
  },
};
