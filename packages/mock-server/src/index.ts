/**
 * A mock Zerobus server for tests: the real `EphemeralStream` gRPC protocol over a real socket (plaintext
 * or TLS), the OAuth token endpoint over real HTTP, the checks the real service makes, a recording of every
 * request per table, and scripts for fault injection. msw handlers for the token endpoint are on
 * `@zerobus/mock-server/msw`; the `zerobus-mock` CLI runs a server from the shell.
 *
 * @packageDocumentation
 */

export type { MockServerInfo } from "./admin/mock-server-info.js";
export { describeMockServer } from "./admin/mock-server-info.js";
export type { AdminEndpoint, AdminEndpointOptions } from "./admin/start-admin-endpoint.js";
export { startAdminEndpoint } from "./admin/start-admin-endpoint.js";
export { createMockServer } from "./create-mock-server.js";
export type { LiveConnection } from "./grpc/mock-connection.js";
export type { MockChecks } from "./grpc/server-context.js";
export type { MockServer } from "./mock-server.js";
export type { MockServerOptions } from "./mock-server-options.js";
export { DEFAULT_MAX_MESSAGE_BYTES } from "./mock-server-options.js";
export type { TokenHttpRequest } from "./oauth/check-token-request.js";
export type {
  RecordedTokenRequest,
  TokenEndpointOptions,
  TokenHttpResponse,
} from "./oauth/token-endpoint.js";
export {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_TOKEN_TTL_SECONDS,
  TokenEndpoint,
} from "./oauth/token-endpoint.js";
export { TOKEN_PATH } from "./oauth/token-http-path.js";
export type { TokenStep } from "./oauth/token-step.js";
export type { IssuedToken, TokenFilter, TokenRefusal } from "./oauth/token-store.js";
export type { ConnectionCloser, FaultProxyConnection, FaultProxyEvent } from "./proxy/connection-log.js";
export { createFaultProxy } from "./proxy/create-fault-proxy.js";
export type {
  CutFault,
  CutHow,
  DelayFault,
  FaultDirection,
  FaultPlan,
  StallFault,
  ThrottleFault,
} from "./proxy/fault-plan.js";
export type { FaultProxy, FaultProxyOptions } from "./proxy/fault-proxy.js";
export type { ExpectedRecord } from "./recording/record-matching.js";
export type {
  ConnectionEnd,
  RecordedConnection,
  RecordedRecord,
  RecordedRequest,
  SentResponse,
} from "./recording/recorded-types.js";
export type { TableRecording, WaitOptions } from "./recording/table-recording.js";
export type {
  ColumnDeclaration,
  ColumnsDeclaration,
  TableDeclaration,
  UnityCatalogType,
} from "./schema/table-declaration.js";
export type { AckPolicy } from "./script/ack-policy.js";
export type { ScriptHandle } from "./script/script-cursor.js";
export type {
  AcceptThenDropStep,
  AckBeyondSentStep,
  AckStep,
  AckWithoutOffsetStep,
  CloseSignalStep,
  CreateScriptStep,
  CreateStep,
  DropStep,
  EndStep,
  FailCreateStep,
  FailStep,
  LowerAckStep,
  ScriptOptions,
  ScriptStep,
  SecondCreateResponseStep,
  SendStep,
  StepTrigger,
  StreamScriptStep,
  UnknownPayloadStep,
} from "./script/script-step.js";
export type { ResolvedStatus, StatusCode, StatusSpec } from "./status.js";
export { GrpcStatusCode } from "./status.js";
export type { MockTlsMaterial } from "./tls/generate-tls.js";
export { generateTls } from "./tls/generate-tls.js";
