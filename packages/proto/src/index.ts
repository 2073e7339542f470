/**
 * The Zerobus wire contract (package `databricks.zerobus`), generated from `proto/zerobus_service.proto`
 * by protoc-gen-es. Encode and decode with `toBinary` / `fromBinary` from `@bufbuild/protobuf`.
 *
 * @example
 * ```ts
 * import { create, toBinary } from "@bufbuild/protobuf";
 * import { EphemeralStreamRequestSchema } from "@zerobus/proto";
 * const bytes = toBinary(EphemeralStreamRequestSchema, create(EphemeralStreamRequestSchema, {
 *   payload: { case: "ingestRecord", value: { offsetId: 0n, record: { case: "jsonRecord", value: "{}" } } },
 * }));
 * ```
 *
 * @packageDocumentation
 */

export type {
  CloseStreamSignal,
  CreateIngestStreamRequest,
  CreateIngestStreamResponse,
  EphemeralStreamRequest,
  EphemeralStreamResponse,
  IngestRecordBatchRequest,
  IngestRecordRequest,
  IngestRecordResponse,
  JsonRecordBatch,
  ProtoEncodedRecordBatch,
} from "./gen/zerobus_service_pb.js";
export {
  CloseStreamSignalSchema,
  CreateIngestStreamRequestSchema,
  CreateIngestStreamResponseSchema,
  EphemeralStreamRequestSchema,
  EphemeralStreamResponseSchema,
  file_zerobus_service,
  IngestRecordBatchRequestSchema,
  IngestRecordRequestSchema,
  IngestRecordResponseSchema,
  JsonRecordBatchSchema,
  ProtoEncodedRecordBatchSchema,
  RecordType,
  RecordTypeSchema,
  Zerobus,
} from "./gen/zerobus_service_pb.js";

/** Full gRPC method path of the single bidirectional RPC. */
export const EPHEMERAL_STREAM_PATH = "/databricks.zerobus.Zerobus/EphemeralStream";
