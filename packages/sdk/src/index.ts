/**
 * `@zerobus/sdk`: stream records into Databricks Delta tables over Zerobus.
 *
 * @example
 * ```ts
 * import { ZerobusSdk } from "@zerobus/sdk";
 * const sdk = new ZerobusSdk(process.env.ZEROBUS_SERVER_ENDPOINT!, process.env.DATABRICKS_HOST!);
 * const stream = await sdk.createStream("main.iot.readings", clientId, clientSecret);
 * try {
 *   await stream.ingestRecord({ device: "t-1", celsius: 21.5 });
 * } finally {
 *   await stream.close();
 *   await sdk.close();
 * }
 * ```
 *
 * @packageDocumentation
 */
export type {
  CallOptions,
  Headers,
  HeadersContext,
  HeadersProvider,
  HeadersProviderLike,
  HeadersReason,
  Logger,
  ResolvedStreamOptions,
  StreamEvents,
  StreamOptions,
  StreamState,
  StreamStats,
  SupportedRecordType,
  WireRecord,
  ZerobusErrorCode,
} from "@zerobus/core";
export {
  defaultStreamOptions,
  isZerobusError,
  RecordType,
  ZerobusError,
  ZerobusErrorCodes,
} from "@zerobus/core";
export type { CreateStreamOptions } from "./create-stream-options.js";
export type { IngestAllOptions, IngestAllResult } from "./ingest-all.js";
export type { WritableOptions } from "./ingest-writable.js";
export type { JsonRecord, ProtoBytesRecord, ProtoRecord } from "./record-types.js";
export type { BackendChoice, ZerobusSdkOptions } from "./sdk-options.js";
export { ZEROBUS_BACKEND_ENV } from "./sdk-options.js";
export type { TableInput } from "./table.js";
export type { TelemetryOptions } from "./telemetry-options.js";
export { ZerobusSdk } from "./zerobus-sdk.js";
export { ZerobusStream } from "./zerobus-stream.js";
