import * as grpc from "@grpc/grpc-js";
import type { BackendConfig, ConnectAttempt, ConnectTarget } from "@zerobus/core";
import { resolveHeaders, ZerobusError } from "@zerobus/core";
import { untilAborted } from "@zerobus/core/internal";
import { encodeCreateRequest } from "./create-request.js";
import { GrpcConnection } from "./grpc-connection.js";
import { SDK_HEADER, SDK_HEADER_VALUE } from "./version.js";

/**
 * One connection attempt (PROTOCOL.md B §4.3 step 4): headers from the provider, open the call on the
 * backend's channel, send `create`, wait for the create response — all under one `recoveryTimeoutMs`
 * timeout (`deadline_exceeded`, retryable). The attempt's signal abandons it (`cancelled`).
 */
export async function connect(
  client: grpc.Client,
  config: BackendConfig,
  secure: boolean,
  { table, options, headers: provider }: ConnectTarget,
  { reason, signal }: ConnectAttempt,
): Promise<GrpcConnection> {
  const timeoutMs = options.recoveryTimeoutMs;
  const attempt = new AbortController();
  const timer = setTimeout(
    () =>
      attempt.abort(
        new ZerobusError("deadline_exceeded", `stream creation timed out after ${timeoutMs} ms`, {
          retryable: true,
        }),
      ),
    timeoutMs,
  );
  const forward = () =>
    attempt.abort(
      new ZerobusError("cancelled", "stream creation was cancelled", {
        retryable: false,
        cause: signal.reason,
      }),
    );
  if (signal.aborted) forward();
  else signal.addEventListener("abort", forward, { once: true });
  try {
    const headers = await untilAborted(
      resolveHeaders(provider, {
        reason,
        tableName: table.tableName,
        endpoint: config.endpoint,
        workspaceId: config.workspaceId,
        signal: attempt.signal,
      }),
      attempt.signal,
      () => attempt.signal.reason,
    );
    const metadata = toMetadata(headers);
    const createRequest = encodeCreateRequest(table, options.recordType);
    return await GrpcConnection.open(client, metadata, createRequest, options.recordType, attempt.signal, {
      given: config.endpoint,
      secure,
    });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", forward);
  }
}

/**
 * The headers as gRPC metadata (with the SDK header unless the provider set it). `normalizeHeaders`
 * already refused what grpc-js would; should grpc-js still refuse a header, its message (which quotes the
 * value, often a token) is replaced by one naming the header only.
 */
function toMetadata(headers: Record<string, string>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [name, value] of Object.entries(headers)) {
    try {
      metadata.set(name, value);
    } catch {
      throw new ZerobusError("invalid_argument", `gRPC refused header ${name} (its value is not shown)`, {
        retryable: false,
      });
    }
  }
  if (headers[SDK_HEADER] === undefined) metadata.set(SDK_HEADER, SDK_HEADER_VALUE);
  return metadata;
}
