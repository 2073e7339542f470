import { inspect } from "node:util";
import type { DescMessage } from "@bufbuild/protobuf";
import type {
  Backend,
  BackendCapabilities,
  BackendConfig,
  BackendStream,
  HeadersProviderLike,
  Logger,
  WireRecord,
} from "@zerobus/core";
import { resolveStreamOptions, silentLogger, toHeadersProvider, ZerobusError } from "@zerobus/core";
import { invalidSignal, parseEndpoint } from "@zerobus/core/internal";
import type { SelectedBackend } from "./backend-selection.js";
import { selectBackend } from "./backend-selection.js";
import type { CreateStreamOptions } from "./create-stream-options.js";
import { splitCreateStreamOptions } from "./create-stream-options.js";
import type { MessageEncoder, RecordEncoder } from "./record-encoder.js";
import { recordEncoder } from "./record-encoder.js";
import type { JsonRecord, ProtoBytesRecord, ProtoRecord } from "./record-types.js";
import type { ZerobusSdkOptions } from "./sdk-options.js";
import { checkSdkOptions, requestedBackend } from "./sdk-options.js";
import type { TableInput } from "./table.js";
import { resolveTable } from "./table.js";
import { ZerobusStream } from "./zerobus-stream.js";

/** A stream of any record type (what the implementation signatures handle). */
type AnyStream = ZerobusStream<unknown, WireRecord>;

function checkCredential(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ZerobusError("invalid_argument", `createStream needs ${name} (a non-empty string)`);
  }
  return value;
}

/**
 * The entry point: one per Zerobus endpoint. Picks the backend synchronously (`sdk.backend`); heavy
 * modules load at the first stream.
 *
 * @example
 * ```ts
 * const sdk = new ZerobusSdk(
 *   "https://1234567890123456.zerobus.us-west-2.cloud.databricks.com",
 *   "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com",
 * );
 * const stream = await sdk.createStream("main.iot.readings", clientId, clientSecret);
 * try {
 *   await stream.ingestRecord({ device: "t-1", celsius: 21.5 });
 * } finally {
 *   await stream.close();
 *   await sdk.close();
 * }
 * ```
 */
export class ZerobusSdk {
  /** `native` or `js`: the backend that carries this SDK's streams. */
  readonly backend: "native" | "js";
  /** Why that backend was chosen. */
  readonly backendReason: string;
  readonly #endpoint: string;
  readonly #unityCatalogUrl: string | undefined;
  readonly #config: BackendConfig;
  readonly #selected: SelectedBackend;
  readonly #logger: Logger;
  readonly #streams = new Set<AnyStream>();
  readonly #created = new WeakSet<AnyStream>();
  readonly #wrappers = new WeakMap<BackendStream, AnyStream>();
  #backend: Promise<Backend> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** `createStream…` calls still in progress, so that close() can wait for them. */
  readonly #opening = new Set<Promise<AnyStream>>();

  /**
   * @param zerobusEndpoint - `https://<workspace-id>.zerobus.<region>.cloud.databricks.com` (`http://` only
   *   with `allowInsecure`)
   * @param unityCatalogUrl - the workspace URL; needed only by `createStream` (OAuth)
   * @param options - backend choice, TLS, logger and more
   */
  constructor(zerobusEndpoint: string, unityCatalogUrl?: string, options?: ZerobusSdkOptions) {
    const checked = checkSdkOptions(options);
    const endpoint = parseEndpoint(zerobusEndpoint, checked.allowInsecure ?? false);
    if (
      unityCatalogUrl !== undefined &&
      (typeof unityCatalogUrl !== "string" || unityCatalogUrl.trim() === "")
    ) {
      throw new ZerobusError(
        "invalid_argument",
        "unityCatalogUrl must be the workspace URL (https://…) or omitted",
      );
    }
    this.#logger = checked.logger ?? silentLogger;
    this.#endpoint = endpoint.url;
    this.#unityCatalogUrl = unityCatalogUrl;
    this.#config = {
      endpoint: endpoint.url,
      allowInsecure: checked.allowInsecure ?? false,
      workspaceId: checked.workspaceId ?? endpoint.firstHostLabel,
      logger: this.#logger,
      ...(checked.tls ? { tls: checked.tls } : {}),
      ...(checked.applicationName ? { applicationName: checked.applicationName } : {}),
      ...(checked.keepaliveMs ? { keepaliveMs: checked.keepaliveMs } : {}),
    };
    this.#selected = selectBackend(requestedBackend(checked), this.#logger);
    this.backend = this.#selected.name;
    this.backendReason = this.#selected.reason;
  }

  /** The Part A behaviours this SDK's backend cannot give, with reasons (empty on js). */
  get capabilities(): BackendCapabilities {
    return this.#selected.capabilities;
  }

  /** Opens a stream authenticated with OAuth client credentials (a service principal) against the workspace. */
  createStream<Desc extends DescMessage>(
    table: { tableName: string; descriptorProto: Desc },
    clientId: string,
    clientSecret: string,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<ProtoRecord<Desc>, Uint8Array>>;
  createStream(
    table: { tableName: string; descriptorProto: Uint8Array },
    clientId: string,
    clientSecret: string,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<ProtoBytesRecord, Uint8Array>>;
  createStream(
    table: string | { tableName: string; descriptorProto?: never },
    clientId: string,
    clientSecret: string,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<JsonRecord, string>>;
  /** A table only known at run time: the record kind is checked when records arrive. */
  createStream(
    table: TableInput,
    clientId: string,
    clientSecret: string,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<JsonRecord | ProtoBytesRecord>>;
  async createStream(
    table: TableInput,
    clientId: string,
    clientSecret: string,
    options?: CreateStreamOptions,
  ): Promise<AnyStream> {
    if (this.#unityCatalogUrl === undefined) {
      throw new ZerobusError(
        "invalid_argument",
        "createStream uses OAuth and needs the workspace URL: new ZerobusSdk(endpoint, unityCatalogUrl); or use createStreamWithHeadersProvider",
      );
    }
    const { fromOAuthClientCredentials } = await import("@zerobus/auth-oauth");
    const provider = fromOAuthClientCredentials({
      workspaceUrl: this.#unityCatalogUrl,
      clientId: checkCredential("clientId", clientId),
      clientSecret: checkCredential("clientSecret", clientSecret),
      workspaceId: this.#config.workspaceId,
      logger: this.#logger,
    });
    return this.#open(table, provider, options);
  }

  /** Opens a stream whose connection headers (auth) come from `provider`, called on every connection attempt. */
  createStreamWithHeadersProvider<Desc extends DescMessage>(
    table: { tableName: string; descriptorProto: Desc },
    provider: HeadersProviderLike,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<ProtoRecord<Desc>, Uint8Array>>;
  createStreamWithHeadersProvider(
    table: { tableName: string; descriptorProto: Uint8Array },
    provider: HeadersProviderLike,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<ProtoBytesRecord, Uint8Array>>;
  createStreamWithHeadersProvider(
    table: string | { tableName: string; descriptorProto?: never },
    provider: HeadersProviderLike,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<JsonRecord, string>>;
  /** A table only known at run time: the record kind is checked when records arrive. */
  createStreamWithHeadersProvider(
    table: TableInput,
    provider: HeadersProviderLike,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<JsonRecord | ProtoBytesRecord>>;
  async createStreamWithHeadersProvider(
    table: TableInput,
    provider: HeadersProviderLike,
    options?: CreateStreamOptions,
  ): Promise<AnyStream> {
    return this.#open(table, toHeadersProvider(provider), options);
  }

  /**
   * A new stream on the same table, provider and options whose first records are `stream`'s unacknowledged
   * ones, in order. Works from a `failed` or `closed` stream; an open stream gives `invalid_state`.
   */
  async recreateStream<S extends AnyStream>(stream: S, options?: { signal?: AbortSignal }): Promise<S> {
    this.#checkOpen();
    if (!(stream instanceof ZerobusStream) || !this.#created.has(stream)) {
      throw new ZerobusError("invalid_argument", "recreateStream takes a stream created by this SDK");
    }
    const signal = options?.signal;
    const invalid = invalidSignal(signal, "recreateStream");
    if (invalid !== undefined) throw invalid;
    const inner = await stream.backendStream.recreate(signal ? { signal } : {});
    return this.#track(inner, stream.encoder) as S;
  }

  /**
   * Closes every stream of this SDK (flushing each) and releases its channels so the process can exit.
   * Streams still being created are stopped (their `createStream…` rejects with `invalid_state`). Every
   * call resolves once all of that is done.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#streams].map((stream) => stream.close()));
    this.#streams.clear();
    // The backend's close also stops the streams still connecting; their openings then reject.
    if (this.#backend) await (await this.#backend.catch(() => undefined))?.close();
    await Promise.allSettled([...this.#opening]);
  }

  /** Calls {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #open(
    table: TableInput,
    provider: ReturnType<typeof toHeadersProvider>,
    options?: CreateStreamOptions,
  ): Promise<AnyStream> {
    this.#checkOpen();
    const opening = this.#openStream(table, provider, options);
    this.#opening.add(opening);
    const forget = () => this.#opening.delete(opening);
    opening.then(forget, forget);
    return opening;
  }

  async #openStream(
    table: TableInput,
    provider: ReturnType<typeof toHeadersProvider>,
    options?: CreateStreamOptions,
  ): Promise<AnyStream> {
    const { streamOptions, events, signal } = splitCreateStreamOptions(options);
    const resolvedTable = await resolveTable(table);
    const resolved = resolveStreamOptions(streamOptions, {
      hasDescriptor: resolvedTable.descriptorBytes !== undefined,
    });
    let toBinary: MessageEncoder | undefined;
    if (resolvedTable.message) toBinary = (await import("@bufbuild/protobuf")).toBinary as MessageEncoder;
    const encode = recordEncoder(resolved.recordType, resolvedTable.message, toBinary);
    // Closed while the table resolved: no backend may be created for a closed SDK.
    this.#checkOpen();
    const backend = await this.#getBackend();
    const inner = await backend.openStream(
      {
        tableName: resolvedTable.tableName,
        ...(resolvedTable.descriptorBytes ? { descriptorProto: resolvedTable.descriptorBytes } : {}),
      },
      resolved,
      provider,
      { events, ...(signal ? { signal } : {}) },
    );
    if (this.#closed) {
      // Closed while it connected: the caller gets no stream the SDK would not close.
      await inner.close().catch(() => {});
      throw new ZerobusError("invalid_state", "this ZerobusSdk was closed while the stream was created");
    }
    this.#logger.debug("stream opened", {
      table: inner.tableName,
      streamId: inner.streamId,
      backend: this.backend,
    });
    return this.#track(inner, encode);
  }

  #track(inner: BackendStream, encode: RecordEncoder): AnyStream {
    // A stream recreated twice is the same stream (the backend gives it once): the same wrapper too.
    const known = this.#wrappers.get(inner);
    if (known !== undefined) return known;
    const stream: AnyStream = new ZerobusStream(inner, encode, () => this.#streams.delete(stream));
    this.#wrappers.set(inner, stream);
    this.#streams.add(stream);
    this.#created.add(stream);
    return stream;
  }

  #getBackend(): Promise<Backend> {
    this.#backend ??= this.#selected.load().then((create) => create(this.#config));
    this.#backend.catch(() => {
      this.#backend = undefined;
    });
    return this.#backend;
  }

  #checkOpen(): void {
    if (this.#closed) throw new ZerobusError("invalid_state", "this ZerobusSdk is closed");
  }

  [inspect.custom](): string {
    return `ZerobusSdk { endpoint: ${JSON.stringify(this.#endpoint)}, backend: ${this.backend}, streams: ${this.#streams.size} }`;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.#endpoint, backend: this.backend, streams: this.#streams.size };
  }
}
