import type { DescMessage } from "@bufbuild/protobuf";
import type {
  BackendCapabilities,
  BackendConfig,
  HeadersProvider,
  HeadersProviderLike,
  Logger,
  WireRecord,
  WireStream,
} from "@zerobus/core";
import { resolveStreamOptions, silentLogger, toHeadersProvider, toLogger, ZerobusError } from "@zerobus/core";
import type { OpenRequest } from "@zerobus/core/internal";
import { invalidSignal, loadTelemetry, parseEndpoint, StreamRegistry } from "@zerobus/core/internal";
import type { SelectedBackend } from "./backend-selection.js";
import { selectBackend } from "./backend-selection.js";
import type { CreateStreamOptions } from "./create-stream-options.js";
import { splitCreateStreamOptions } from "./create-stream-options.js";
import { envCredentials } from "./env-credentials.js";
import { constructorArguments, fromVariable, WORKSPACE_URL_ENV } from "./env-defaults.js";
import { inspectCustom } from "./inspect-custom.js";
import type { MessageEncoder, RecordEncoder } from "./record-encoder.js";
import { recordEncoder } from "./record-encoder.js";
import type { JsonRecord, ProtoBytesRecord, ProtoRecord } from "./record-types.js";
import type { ZerobusSdkOptions } from "./sdk-options.js";
import { checkSdkOptions, requestedBackend } from "./sdk-options.js";
import type { TableInput } from "./table.js";
import { resolveTable } from "./table.js";
import { checkTelemetry } from "./telemetry-options.js";
import { ZerobusStream } from "./zerobus-stream.js";

/** A stream of any record type (what the implementation signatures handle). */
type AnyStream = ZerobusStream<unknown, WireRecord>;

/**
 * What follows the table in `createStream`: OAuth client credentials of a service principal, or none to
 * read them from the environment (`fromEnv()` of `@zerobus/auth-env`).
 */
export type CreateStreamCredentials =
  | [clientId: string, clientSecret: string, options?: CreateStreamOptions]
  | [options?: CreateStreamOptions];

function checkCredential(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new ZerobusError(
      "invalid_argument",
      `createStream needs ${name} (a non-empty string), or neither clientId nor clientSecret to read credentials from DATABRICKS_* variables or ~/.databrickscfg`,
    );
  }
  return value;
}

/** The credentials and options of a `createStream` call; no credentials at all means the environment's. */
function splitCredentials(args: readonly unknown[]): {
  credentials?: { clientId: string; clientSecret: string };
  options: CreateStreamOptions | undefined;
} {
  const [first, second, third] = args;
  if (first === undefined && second === undefined) return { options: third as CreateStreamOptions };
  if (typeof first === "object" && first !== null && second === undefined && third === undefined) {
    return { options: first as CreateStreamOptions };
  }
  return {
    credentials: {
      clientId: checkCredential("clientId", first),
      clientSecret: checkCredential("clientSecret", second),
    },
    options: third as CreateStreamOptions,
  };
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
  /** The streams of this SDK, open and in progress, over its backend (loaded at the first stream). */
  readonly #streams: StreamRegistry;
  /** The public stream of each core stream: a stream recreated twice is the same stream, so the same object. */
  readonly #surfaces = new WeakMap<WireStream, AnyStream>();

  /**
   * Reads `ZEROBUS_SERVER_ENDPOINT` for the endpoint and `DATABRICKS_HOST` for the workspace URL.
   *
   * @param options - backend choice, TLS, logger and more
   */
  constructor(options?: ZerobusSdkOptions);
  /**
   * @param zerobusEndpoint - `https://<workspace-id>.zerobus.<region>.cloud.databricks.com` (`http://` only
   *   with `allowInsecure`); omitted (`undefined`): `ZEROBUS_SERVER_ENDPOINT`
   * @param unityCatalogUrl - the workspace URL, needed only by `createStream` with a client id and secret;
   *   omitted: `DATABRICKS_HOST`
   * @param options - backend choice, TLS, logger and more
   */
  constructor(zerobusEndpoint: string | undefined, unityCatalogUrl?: string, options?: ZerobusSdkOptions);
  constructor(
    zerobusEndpointOrOptions?: string | ZerobusSdkOptions,
    unityCatalogUrlArgument?: string,
    optionsArgument?: ZerobusSdkOptions,
  ) {
    const args = constructorArguments(zerobusEndpointOrOptions, unityCatalogUrlArgument, optionsArgument);
    const checked = checkSdkOptions(args.options);
    const endpoint = fromVariable(args.endpointFrom, () =>
      parseEndpoint(args.endpoint, checked.allowInsecure ?? false),
    );
    const unityCatalogUrl = args.unityCatalogUrl;
    if (
      unityCatalogUrl !== undefined &&
      (typeof unityCatalogUrl !== "string" || unityCatalogUrl.trim() === "")
    ) {
      throw new ZerobusError(
        "invalid_argument",
        "the workspace URL (unityCatalogUrl) must be https://… or omitted",
      );
    }
    this.#logger = checked.logger === undefined ? silentLogger : toLogger(checked.logger, "logger");
    this.#endpoint = endpoint.url;
    this.#unityCatalogUrl = unityCatalogUrl as string | undefined;
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
    const config = this.#config;
    const telemetry = checkTelemetry(checked.telemetry);
    this.#streams = new StreamRegistry(() => this.#selected.load().then((create) => create(config)), {
      logger: this.#logger,
      owner: "ZerobusSdk",
      endpoint: endpoint.url,
      // Loaded at the first stream, and only with the option: without it nothing of OpenTelemetry loads.
      ...(telemetry === undefined ? {} : { observer: () => loadTelemetry(telemetry) }),
    });
  }

  /** The Part A behaviours this SDK's backend cannot give, with reasons (empty on js). */
  get capabilities(): BackendCapabilities {
    return this.#selected.capabilities;
  }

  /**
   * Opens a stream authenticated with OAuth client credentials (a service principal) against the workspace,
   * or, given no credentials, with what `fromEnv()` of `@zerobus/auth-env` finds: `DATABRICKS_CLIENT_ID` +
   * `DATABRICKS_CLIENT_SECRET` (with `DATABRICKS_HOST`), `DATABRICKS_TOKEN`, then a `~/.databrickscfg` profile.
   * A JSON stream takes a row type: `createStream<SensorReading>(table)` accepts only that shape.
   */
  createStream<Desc extends DescMessage>(
    table: { tableName: string; descriptorProto: Desc },
    ...credentials: CreateStreamCredentials
  ): Promise<ZerobusStream<ProtoRecord<Desc>, Uint8Array>>;
  createStream(
    table: { tableName: string; descriptorProto: Uint8Array },
    ...credentials: CreateStreamCredentials
  ): Promise<ZerobusStream<ProtoBytesRecord, Uint8Array>>;
  createStream<Row extends JsonRecord = JsonRecord>(
    table: string | { tableName: string; descriptorProto?: never },
    ...credentials: CreateStreamCredentials
  ): Promise<ZerobusStream<Row, string>>;
  /** A table only known at run time: the record kind is checked when records arrive. */
  createStream(
    table: TableInput,
    ...credentials: CreateStreamCredentials
  ): Promise<ZerobusStream<JsonRecord | ProtoBytesRecord>>;
  async createStream(table: TableInput, ...args: unknown[]): Promise<AnyStream> {
    const { credentials, options } = splitCredentials(args);
    if (credentials === undefined) return this.#open(table, await envCredentials(this.#logger), options);
    if (this.#unityCatalogUrl === undefined) {
      throw new ZerobusError(
        "invalid_argument",
        `createStream with a client id and secret needs the workspace URL: new ZerobusSdk(endpoint, workspaceUrl) or ${WORKSPACE_URL_ENV}; or use createStreamWithHeadersProvider`,
      );
    }
    const { fromOAuthClientCredentials } = await import("@zerobus/auth-oauth");
    const provider = fromOAuthClientCredentials({
      workspaceUrl: this.#unityCatalogUrl,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
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
  createStreamWithHeadersProvider<Row extends JsonRecord = JsonRecord>(
    table: string | { tableName: string; descriptorProto?: never },
    provider: HeadersProviderLike,
    options?: CreateStreamOptions,
  ): Promise<ZerobusStream<Row, string>>;
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
    this.#streams.checkOpen();
    if (!(stream instanceof ZerobusStream) || !this.#streams.owns(stream.coreStream)) {
      throw new ZerobusError("invalid_argument", "recreateStream takes a stream created by this SDK");
    }
    const signal = options?.signal;
    const invalid = invalidSignal(signal, "recreateStream");
    if (invalid !== undefined) throw invalid;
    const inner = await stream.coreStream.recreate(signal ? { signal } : {});
    return this.#surface(inner, stream.encoder) as S;
  }

  /**
   * Closes every stream of this SDK (flushing each) and releases its channels so the process can exit.
   * Streams still being created are stopped (their `createStream…` rejects with `invalid_state`). Every
   * call resolves once all of that is done.
   */
  close(): Promise<void> {
    return this.#streams.close();
  }

  /** Calls {@link close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #open(
    table: TableInput,
    provider: HeadersProvider,
    options?: CreateStreamOptions,
  ): Promise<AnyStream> {
    const prepared = this.#prepare(table, provider, options);
    const inner = await this.#streams.openPrepared(prepared.then(({ request }) => request));
    const { encode } = await prepared;
    this.#logger.debug("stream opened", {
      table: inner.tableName,
      streamId: inner.streamId,
      backend: this.backend,
    });
    return this.#surface(inner, encode);
  }

  /** Resolves the table and the options, and picks the record encoder (argument errors reject here). */
  async #prepare(
    table: TableInput,
    provider: HeadersProvider,
    options?: CreateStreamOptions,
  ): Promise<{ request: OpenRequest; encode: RecordEncoder }> {
    const { streamOptions, events, signal } = splitCreateStreamOptions(options);
    const resolvedTable = await resolveTable(table);
    const resolved = resolveStreamOptions(streamOptions, {
      hasDescriptor: resolvedTable.descriptorBytes !== undefined,
    });
    let toBinary: MessageEncoder | undefined;
    if (resolvedTable.message) toBinary = (await import("@bufbuild/protobuf")).toBinary as MessageEncoder;
    const encode = recordEncoder(resolved.recordType, resolvedTable.message, toBinary);
    const request: OpenRequest = {
      table: {
        tableName: resolvedTable.tableName,
        ...(resolvedTable.descriptorBytes ? { descriptorProto: resolvedTable.descriptorBytes } : {}),
      },
      options: resolved,
      headers: provider,
      context: { events, ...(signal ? { signal } : {}) },
    };
    return { request, encode };
  }

  #surface(inner: WireStream, encode: RecordEncoder): AnyStream {
    let stream = this.#surfaces.get(inner);
    if (stream === undefined) {
      stream = new ZerobusStream(inner, encode);
      this.#surfaces.set(inner, stream);
    }
    return stream;
  }

  [inspectCustom](): string {
    return `ZerobusSdk { endpoint: ${JSON.stringify(this.#endpoint)}, backend: ${this.backend}, streams: ${this.#streams.size} }`;
  }

  toJSON(): Record<string, unknown> {
    return { endpoint: this.#endpoint, backend: this.backend, streams: this.#streams.size };
  }
}
