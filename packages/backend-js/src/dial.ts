import * as grpc from "@grpc/grpc-js";
import type { BackendConfig, HeadersProvider, ResolvedStreamOptions, TableDescriptor } from "@zerobus/core";
import { resolveHeaders, ZerobusError } from "@zerobus/core";
import type { Dial } from "@zerobus/core/internal";
import { untilAborted } from "@zerobus/core/internal";
import { Connection } from "./connection.js";
import { encodeCreateRequest } from "./create-request.js";
import { SDK_HEADER, SDK_HEADER_VALUE } from "./version.js";

/** Everything one connection attempt needs. */
export interface DialContext {
  readonly client: grpc.Client;
  readonly config: BackendConfig;
  readonly table: TableDescriptor;
  readonly options: ResolvedStreamOptions;
  readonly headers: HeadersProvider;
}

/**
 * Makes the function that runs one connection attempt (PROTOCOL.md B §4.3 step 4): headers from the
 * provider, open the call, send `create`, wait for the create response — all under one
 * `recoveryTimeoutMs` timeout (`deadline_exceeded`, retryable). `signal` abandons the attempt (`cancelled`).
 */
export function makeDial(context: DialContext): Dial<Connection> {
  const createRequest = encodeCreateRequest(context.table, context.options.recordType);
  const timeoutMs = context.options.recoveryTimeoutMs;
  return async (reason, signal) => {
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
        resolveHeaders(context.headers, {
          reason,
          tableName: context.table.tableName,
          endpoint: context.config.endpoint,
          workspaceId: context.config.workspaceId,
          signal: attempt.signal,
        }),
        attempt.signal,
        () => attempt.signal.reason,
      );
      const metadata = toMetadata(headers);
      return await Connection.open(context.client, metadata, createRequest, attempt.signal);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", forward);
    }
  };
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
