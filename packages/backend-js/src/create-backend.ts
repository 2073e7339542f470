import type * as grpc from "@grpc/grpc-js";
import type {
  Backend,
  BackendConfig,
  BackendStream,
  HeadersProvider,
  OpenStreamContext,
  ResolvedStreamOptions,
  TableDescriptor,
} from "@zerobus/core";
import { toHeadersProvider } from "@zerobus/core";
import { OpenStreams, parseEndpoint } from "@zerobus/core/internal";
import { createChannel } from "./channel.js";
import { makeDial } from "./dial.js";
import { JsStream } from "./js-stream.js";
import { userAgent } from "./user-agent.js";

/**
 * The pure-TypeScript backend: every behaviour of PROTOCOL.md Part A over `@grpc/grpc-js`, with the
 * shared stream engine of `@zerobus/core/internal`. One channel per backend, created at the first stream
 * and shared by all of them. The endpoint and `applicationName` are checked here, synchronously.
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
  const endpoint = parseEndpoint(config.endpoint, config.allowInsecure);
  userAgent(config.applicationName);
  let client: grpc.Client | undefined;
  const streams = new OpenStreams<JsStream>();

  const openStream = async (
    table: TableDescriptor,
    options: ResolvedStreamOptions,
    headers: HeadersProvider,
    context: OpenStreamContext = {},
  ): Promise<BackendStream> => {
    streams.checkOpen();
    // A plain function is accepted too (as everywhere a provider is, API.md "Auth").
    const provider = toHeadersProvider(headers);
    client ??= createChannel(config, endpoint);
    const stream = await JsStream.open(
      {
        tableName: table.tableName,
        dial: makeDial({ client, config, table, options, headers: provider }),
        reopen: (next) => openStream(table, options, provider, next),
        onFinished: (finished) => streams.delete(finished),
      },
      options,
      { ...context, signal: streams.openingSignal(context.signal) },
      config.logger,
    );
    streams.add(stream);
    return stream;
  };

  return {
    name: "js",
    capabilities: Object.freeze({}),
    openStream,
    async close() {
      if (await streams.closeAll()) client?.close();
    },
  };
}
