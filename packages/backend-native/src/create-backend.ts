import type { Backend, BackendConfig } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import { parseEndpoint } from "@zerobus/core/internal";
import { nativeCapabilities } from "./capabilities.js";
import { loadNative } from "./load-native.js";
import type { NativeBackendContext } from "./native-connection.js";
import { NativeConnection } from "./native-connection.js";
import { sdkIdentifier } from "./sdk-identifier.js";

/**
 * The native backend: connections over the official Rust core, through the napi addon, for the core stream
 * of `@zerobus/core/internal`. Loads the addon synchronously and throws `native_unavailable` (every load
 * error in `cause`) when it cannot; checks the endpoint and `applicationName` here, synchronously.
 * `capabilities` lists the Part A behaviours the core cannot give (README).
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
  const addon = loadNative();
  const { url: endpoint, secure } = parseEndpoint(config.endpoint, config.allowInsecure);
  if (config.applicationName !== undefined && !/^[\x20-\x7e]*$/.test(config.applicationName)) {
    throw new ZerobusError("invalid_argument", "applicationName must be printable ASCII");
  }
  if (config.keepaliveMs !== undefined) {
    config.logger.warn(
      "keepaliveMs is ignored by the native backend: the Rust core sends no keepalive pings",
    );
  }
  const caPem =
    config.tls?.ca === undefined
      ? undefined
      : typeof config.tls.ca === "string"
        ? config.tls.ca
        : Buffer.from(config.tls.ca).toString("utf8");
  const context: NativeBackendContext = {
    addon,
    config,
    endpoint,
    endpointFacts: { given: config.endpoint, secure },
    sdkIdentifier: sdkIdentifier(addon.coreVersion()),
    caPem,
    logger: config.logger,
  };
  let closed = false;
  return {
    name: "native",
    capabilities: nativeCapabilities,
    async connect(target, attempt) {
      if (closed) throw new ZerobusError("invalid_state", "this backend is closed", { retryable: false });
      return NativeConnection.open(context, target, attempt);
    },
    async close() {
      // Each core stream owns its channel: nothing is shared to release.
      closed = true;
    },
  };
}
