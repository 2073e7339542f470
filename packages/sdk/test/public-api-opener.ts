import type {
  BackendConfig,
  HeadersProvider,
  OpenStreamContext,
  ResolvedStreamOptions,
  StreamOpener,
  TableDescriptor,
  WireStream,
} from "@zerobus/core";
import type { ZerobusStream } from "../src/index.js";
import { ZerobusSdk } from "../src/index.js";

type AnyStream = ZerobusStream<unknown>;

/** A `WireStream` made of a public `ZerobusStream`: the conformance suite then tests the public API. */
function asWireStream(
  sdk: ZerobusSdk,
  stream: AnyStream,
  recordType: ResolvedStreamOptions["recordType"],
): WireStream {
  return {
    get tableName() {
      return stream.tableName;
    },
    recordType,
    get state() {
      return stream.state;
    },
    get streamId() {
      return stream.streamId;
    },
    ingestRecord: (record, options) => stream.ingestRecord(record, options),
    ingestRecords: (records, options) => stream.ingestRecords(records, options),
    waitForOffset: (offset, options) => stream.waitForOffset(offset, options),
    flush: (options) => stream.flush(options),
    close: (options) => stream.close(options),
    getUnackedRecords: () => stream.getUnackedRecords(),
    getUnackedBatches: () => stream.getUnackedBatches(),
    stats: () => stream.stats(),
    recreate: async (context: OpenStreamContext = {}) =>
      asWireStream(
        sdk,
        await sdk.recreateStream(stream, context.signal ? { signal: context.signal } : {}),
        recordType,
      ),
  };
}

/**
 * A `StreamOpener` over the public API of `@zerobus/sdk` with the given backend: each `openStream` goes
 * through `createStreamWithHeadersProvider`, so argument checking and serialisation are exercised too.
 */
export function publicApiOpener(backend: "js" | "native"): (config: BackendConfig) => StreamOpener {
  return (config: BackendConfig): StreamOpener => {
    const sdk = new ZerobusSdk(config.endpoint, undefined, {
      backend,
      allowInsecure: config.allowInsecure,
      workspaceId: config.workspaceId,
      logger: config.logger,
      ...(config.tls ? { tls: config.tls } : {}),
    });
    return {
      get capabilities() {
        return sdk.capabilities;
      },
      async openStream(
        table: TableDescriptor,
        options: ResolvedStreamOptions,
        headers: HeadersProvider,
        context: OpenStreamContext = {},
      ) {
        const stream = (await sdk.createStreamWithHeadersProvider(
          table.descriptorProto
            ? { tableName: table.tableName, descriptorProto: table.descriptorProto }
            : table.tableName,
          headers,
          { ...options, ...context.events, ...(context.signal ? { signal: context.signal } : {}) },
        )) as AnyStream;
        return asWireStream(sdk, stream, options.recordType);
      },
      close: () => sdk.close(),
    };
  };
}
