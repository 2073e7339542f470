import type * as grpc from "@grpc/grpc-js";
import type { Backend, BackendConfig } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import { parseEndpoint } from "@zerobus/core/internal";
import { createChannel } from "./channel.js";
import { connect } from "./connect.js";
import { userAgent } from "./user-agent.js";

/**
 * The pure-TypeScript backend: connections over `@grpc/grpc-js` for the core stream of
 * `@zerobus/core/internal`, which gives every behaviour of PROTOCOL.md Part A on them. One channel per
 * backend, created at the first connection and shared by all of them. The endpoint and `applicationName`
 * are checked here, synchronously.
 *
 * @example
 * ```ts
 * const backend = createBackend({ endpoint: "https://1234.zerobus.us-west-2.cloud.databricks.com",
 *   allowInsecure: false, workspaceId: "1234", logger: silentLogger });
 * const streams = new StreamRegistry(backend); // from @zerobus/core/internal
 * const stream = await streams.openStream({ tableName: "main.default.events" },
 *   resolveStreamOptions({}, { hasDescriptor: false }), { getHeaders: () => ({ authorization: `Bearer ${token}` }) });
 * await stream.ingestRecord('{"id":1}');
 * await streams.close(); // closes the stream, then the backend
 * ```
 */
export function createBackend(config: BackendConfig): Backend {
  const endpoint = parseEndpoint(config.endpoint, config.allowInsecure);
  userAgent(config.applicationName);
  let client: grpc.Client | undefined;
  let closed = false;
  return {
    name: "js",
    capabilities: Object.freeze({}),
    async connect(target, attempt) {
      if (closed) throw new ZerobusError("invalid_state", "this backend is closed", { retryable: false });
      client ??= createChannel(config, endpoint);
      return connect(client, config, endpoint.secure, target, attempt);
    },
    async close() {
      closed = true;
      client?.close();
    },
  };
}
