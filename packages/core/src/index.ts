/**
 * Types, options, errors, the stream surface and the `Backend` contract shared by every Zerobus package. Users normally import
 * these through `@zerobus/sdk`.
 *
 * @packageDocumentation
 */
export type {
  Backend,
  BackendCapabilities,
  BackendConfig,
  CapabilityGap,
  ConnectAttempt,
  Connection,
  ConnectionEvents,
  ConnectTarget,
  CreateBackend,
  HeldRecords,
} from "./backend.js";
export type {
  DiagnosticsChannelName,
  DiagnosticsMessages,
  DiagnosticsStreamFields,
} from "./diagnostics-channels.js";
export { DiagnosticsChannel } from "./diagnostics-channels.js";
export type { ZerobusErrorCode } from "./error-code.js";
export { ZerobusErrorCodes } from "./error-code.js";
export type { GrpcStatusCode } from "./grpc-status.js";
export {
  codeForGrpcStatus,
  errorFromGrpcStatus,
  errorFromNetworkError,
  GrpcStatus,
  isRetryableGrpcStatus,
} from "./grpc-status.js";
export type {
  Headers,
  HeadersContext,
  HeadersProvider,
  HeadersProviderLike,
  HeadersReason,
} from "./headers.js";
export { normalizeHeaders, resolveHeaders, TABLE_NAME_HEADER, toHeadersProvider } from "./headers.js";
export type { Logger } from "./logger.js";
export { silentLogger, toLogger } from "./logger.js";
export type { SupportedRecordType } from "./record-type.js";
export { RecordType } from "./record-type.js";
export type { StreamOpener } from "./stream-opener.js";
export type { ResolvedStreamOptions, StreamOptions } from "./stream-options.js";
export { DEFAULT_MAX_MESSAGE_BYTES, defaultStreamOptions, resolveStreamOptions } from "./stream-options.js";
export type { TableNameParts } from "./table-name.js";
export { parseTableName, validateTableName } from "./table-name.js";
export type { WireRequest } from "./wire-request.js";
export type {
  AckProgress,
  CallOptions,
  IngestCallOptions,
  OpenStreamContext,
  StreamEvents,
  StreamState,
  StreamStats,
  TableDescriptor,
  WireRecord,
  WireStream,
} from "./wire-stream.js";
export type { ZerobusErrorOptions } from "./zerobus-error.js";
export { isZerobusError, ZerobusError } from "./zerobus-error.js";
