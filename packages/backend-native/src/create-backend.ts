import type {
  Backend,
  BackendConfig,
  BackendStream,
  HeadersProvider,
  OpenStreamContext,
  ResolvedStreamOptions,
  TableDescriptor,
} from "@zerobus/core";
import { RecordType, toHeadersProvider, ZerobusError } from "@zerobus/core";
import { OpenStreams, parseEndpoint } from "@zerobus/core/internal";
import type { NativeStreamConfig } from "../addon/binding.cjs";
import { nativeCapabilities } from "./capabilities.js";
import { HeadersBridge } from "./headers-bridge.js";
import { loadNative } from "./load-native.js";
import { NativeBackendStream } from "./native-stream.js";
import { sdkIdentifier } from "./sdk-identifier.js";

/** napi passes these as u32. */
const U32_MAX = 2 ** 32 - 1;

/**
 * The native backend: the shared stream engine over the official Rust core, through the napi addon.
 * Loads the addon synchronously and throws `native_unavailable` (every load error in `cause`) when it
 * cannot; checks the endpoint and `applicationName` here, synchronously. `capabilities` lists the
 * Part A behaviours the core cannot give (README).
 *
 * @example
 * ```ts
 * const backend = createBackend({ endpoint: "https://1234.zerobus.us-west-2.cloud.databricks.com",
 *   allowInsecure: false, workspaceId: "1234", logger: silentLogger });
 * const stream = await backend.openStream({ tableName: "main.default.events" },
 *   resolveStreamOptions({}, { hasDescriptor: false }), { getHeaders: () => ({ authorization: `Bearer ${token}` }) });
 * await stream.ingestRecord('{"id":1}');
 * await stream.close();
 * await backend.close();
 * ```
 */
export function createBackend(config: BackendConfig): Backend {
  const addon = loadNative();
  const endpoint = parseEndpoint(config.endpoint, config.allowInsecure).url;
  const identifier = sdkIdentifier(addon.coreVersion());
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
  const streams = new OpenStreams<NativeBackendStream>();

  const openStream = async (
    table: TableDescriptor,
    options: ResolvedStreamOptions,
    headers: HeadersProvider,
    context: OpenStreamContext = {},
  ): Promise<BackendStream> => {
    streams.checkOpen();
    const provider = toHeadersProvider(headers);
    const descriptor = options.recordType === RecordType.Proto ? table.descriptorProto : undefined;
    const streamConfig: NativeStreamConfig = {
      endpoint,
      tableName: table.tableName,
      sdkIdentifier: identifier,
      maxInflightRecords: Math.min(options.maxInflightRecords, U32_MAX),
      maxMessageBytes: Math.min(options.maxMessageBytes, U32_MAX),
      recovery: options.recovery,
      recoveryTimeoutMs: options.recoveryTimeoutMs,
      recoveryBackoffMs: options.recoveryBackoffMs,
      recoveryRetries: Math.min(options.recoveryRetries, U32_MAX),
      serverLackOfAckTimeoutMs: options.serverLackOfAckTimeoutMs,
      ...(descriptor === undefined
        ? {}
        : { descriptorProto: Buffer.from(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength) }),
      ...(caPem === undefined ? {} : { caPem }),
      ...(config.applicationName ? { applicationName: config.applicationName } : {}),
      ...(options.streamPausedMaxWaitTimeMs === undefined
        ? {}
        : { streamPausedMaxWaitTimeMs: options.streamPausedMaxWaitTimeMs }),
    };
    const stream = await NativeBackendStream.open(
      {
        addon,
        tableName: table.tableName,
        config: streamConfig,
        logger: config.logger,
        headers: (lifetime) =>
          new HeadersBridge({
            provider,
            context: {
              tableName: table.tableName,
              endpoint: config.endpoint,
              workspaceId: config.workspaceId,
            },
            attemptTimeoutMs: options.recoveryTimeoutMs,
            lifetime,
          }),
        reopen: (next) => openStream(table, options, provider, next),
        onFinished: (finished) => streams.delete(finished),
      },
      options,
      { ...context, signal: streams.openingSignal(context.signal) },
    );
    streams.add(stream);
    return stream;
  };

  return {
    name: "native",
    capabilities: nativeCapabilities,
    openStream,
    async close() {
      await streams.closeAll();
    },
  };
}
