import type {
  BackendConfig,
  ConnectAttempt,
  Connection,
  ConnectionEvents,
  ConnectTarget,
  HeldRecords,
  Logger,
  WireRequest,
} from "@zerobus/core";
import { RecordType } from "@zerobus/core";
import type { EndpointFacts } from "@zerobus/core/internal";
import { cancelledError, listenForAbort } from "@zerobus/core/internal";
import type { NativeEvent, NativeStream, NativeStreamConfig } from "../addon/binding.cjs";
import { HeadersBridge } from "./headers-bridge.js";
import { joinInChunks } from "./join-in-chunks.js";
import type { NativeAddon } from "./load-native.js";
import { errorFromInfo, errorFromNative } from "./native-error.js";

/** The most UTF-8 bytes of records a JSON request's chunk joins (a longer record is a chunk alone). */
const JSON_CHUNK_BYTES = 64 * 1024;

/** napi passes these as u32. */
const U32_MAX = 2 ** 32 - 1;

/** The addon's event kinds the stream hears of. */
const deliveredKinds: ReadonlySet<string> = new Set(["ack", "closeSignal", "failed"]);

/** What every connection of one native backend shares. */
export interface NativeBackendContext {
  readonly addon: NativeAddon;
  readonly config: BackendConfig;
  /** The endpoint URL as parsed and normalised. */
  readonly endpoint: string;
  /** The endpoint as configured and whether TLS is in use: what explains a failure to connect. */
  readonly endpointFacts: EndpointFacts;
  readonly sdkIdentifier: string;
  readonly caPem: string | undefined;
  readonly logger: Logger;
}

/**
 * A connection of the core stream over one stream of the Rust core, through the napi addon. Each request
 * becomes one napi call and one core ingest call, so the core's offset *k* is the request's wire offset *k*;
 * the core's acks come back coalesced (one event per ack). The Rust core never reconnects: one Rust stream
 * is one connection attempt, its failure (or its leaving after a close signal) ends this connection, and
 * the core stream decides how to recover (paced, on a budget, with slow start) and re-sends what was not
 * acknowledged on a new one.
 */
export class NativeConnection implements Connection {
  readonly #handle: NativeStream;
  readonly #bridge: HeadersBridge;
  readonly #logger: Logger;
  readonly #json: boolean;
  readonly #endpoint: EndpointFacts;
  /** Aborted when the connection is over: header requests in progress stop. */
  readonly #lifetime: AbortController;
  #streamId: string | undefined;
  #events: ConnectionEvents | undefined;
  /** Events that came before {@link listen}. */
  #early: NativeEvent[] = [];
  #over = false;

  private constructor(context: NativeBackendContext, target: ConnectTarget, attempt: ConnectAttempt) {
    this.#logger = context.logger;
    this.#json = target.options.recordType === RecordType.Json;
    this.#endpoint = context.endpointFacts;
    this.#lifetime = new AbortController();
    this.#bridge = new HeadersBridge({
      provider: target.headers,
      context: {
        tableName: target.table.tableName,
        endpoint: context.config.endpoint,
        workspaceId: context.config.workspaceId,
      },
      reason: attempt.reason,
      attemptTimeoutMs: target.options.recoveryTimeoutMs,
      lifetime: this.#lifetime.signal,
    });
    this.#handle = new context.addon.NativeStream(streamConfig(context, target), (event) =>
      this.#onEvent(event),
    );
  }

  /**
   * Creates the core stream (with the core's own retries) and resolves once the server answered. Rejects
   * with the core's error (the provider's own, when it was the cause), or `cancelled` when the attempt's
   * signal fires (the core stream is then dropped).
   */
  static async open(
    context: NativeBackendContext,
    target: ConnectTarget,
    attempt: ConnectAttempt,
  ): Promise<NativeConnection> {
    const { signal } = attempt;
    if (signal.aborted) throw cancelledError(signal, "stream creation");
    const connection = new NativeConnection(context, target, attempt);
    const handle = connection.#handle;
    const stopListening = listenForAbort(signal, () => handle.abort());
    try {
      connection.#streamId = (await handle.open()) ?? undefined;
    } catch (error) {
      connection.#lifetime.abort();
      if (signal.aborted) throw cancelledError(signal, "stream creation");
      throw errorFromNative(error, connection.#bridge.lastError, connection.#endpoint);
    } finally {
      stopListening();
    }
    if (signal.aborted) {
      // Aborted as the creation completed: the caller gave up, so the new stream goes at once.
      connection.abort();
      throw cancelledError(signal, "stream creation");
    }
    return connection;
  }

  get streamId(): string | undefined {
    return this.#streamId;
  }

  listen(events: ConnectionEvents): void {
    this.#events = events;
    const early = this.#early;
    this.#early = [];
    if (early.length === 0) return;
    // Delivered on a microtask so the stream finishes taking the connection first.
    queueMicrotask(() => {
      for (const event of early) this.#deliver(event);
    });
  }

  /** Hands one request to the core (one napi call); the core never pushes back. */
  send(request: WireRequest): boolean {
    try {
      if (this.#json) this.#sendJson(request);
      else this.#handle.ingestProto(request.records as Uint8Array[]);
    } catch (thrown) {
      const error = errorFromNative(thrown);
      // The Rust stream ended under us: its failure event, with the real cause, is on its way and ends
      // this connection; the request stays unacknowledged in the engine and goes out again on the next one.
      if (error.code === "stream_closed") return true;
      throw error;
    }
    return true;
  }

  /**
   * A JSON request crosses as a few strings, its records joined in chunks of at most 64 KB, with each
   * record's UTF-8 length (measured when it was accepted): napi turns a string into Rust at a fixed cost
   * per string of about 200 ns, so a few per request instead of one per record is most of what the native
   * connection costs the JS thread; chunks rather than one string, which V8 would allocate in its
   * large-object space (joining 1 MB requests cost 2 to 3 times as much). The binding refuses the chunks
   * only for lone surrogates at a record's edge inside one; then one by one.
   */
  #sendJson(request: WireRequest): void {
    const records = request.records as string[];
    const chunks = joinInChunks(records, request.recordBytes, JSON_CHUNK_BYTES);
    if (!this.#handle.ingestJsonChunks(chunks, new Uint32Array(request.recordBytes))) {
      this.#handle.ingestJson(records);
    }
  }

  whenDrained(callback: () => void): void {
    // send() never returns false; kept for the contract.
    queueMicrotask(callback);
  }

  /**
   * Everything is acknowledged after a successful flush, so the core's own flush inside its close returns
   * at once; otherwise the core stream is dropped instead (its close would wait for the records).
   */
  /**
   * The binding holds each request's records (in slabs the Rust core's re-send buffer borrows) until the
   * stream took the request's ack, so the stream keeps no copy of its own: one copy per process.
   */
  readonly heldRecords: HeldRecords = {
    readBack: (first, last) => {
      if (this.#json) return this.#handle.readBackJson(first, last);
      // Plain views, as the records were given: a Buffer is a Uint8Array of another class.
      return this.#handle
        .readBackProto(first, last)
        .map((records) => records.map((r) => new Uint8Array(r.buffer, r.byteOffset, r.byteLength)));
    },
    releaseAll: () => this.#handle.releaseHeld(-1),
  };

  async close(flushed: boolean): Promise<void> {
    if (this.#over) return;
    this.#over = true;
    if (!flushed) {
      this.#handle.abort();
      this.#lifetime.abort();
      return;
    }
    try {
      await this.#handle.close();
    } catch (error) {
      this.#logger.warn("closing the native stream failed", { error: errorFromNative(error) });
    } finally {
      this.#lifetime.abort();
    }
  }

  abort(): void {
    this.#over = true;
    this.#handle.abort();
    this.#lifetime.abort();
  }

  #onEvent(event: NativeEvent): void {
    if (event.kind === "headers") {
      void this.#answerHeaders(event.requestId ?? 0, event.afterAuthRejection ?? false);
      return;
    }
    // Only acks, the close signal and the failure matter to the stream: the id came with open(), and the
    // core's reconnections are refused (the binding turns each into this connection's end).
    if (this.#over || !deliveredKinds.has(event.kind)) return;
    if (this.#events === undefined) this.#early.push(event);
    else this.#deliver(event);
  }

  #deliver(event: NativeEvent): void {
    const events = this.#events;
    if (this.#over || events === undefined) return;
    switch (event.kind) {
      case "ack":
        if (event.upTo === undefined) return;
        events.onAck(event.upTo);
        // Taken by the stream (a refused ack ends the connection instead, which reads the records back).
        if (!this.#over) this.#handle.releaseHeld(Number(event.upTo));
        return;
      case "closeSignal":
        // The core already paused for the signal and waited for the records in flight (A.5): nothing is
        // left to wait for, so the stream leaves the connection at once and reconnects.
        events.onCloseSignal(0);
        return;
      case "failed":
        if (event.error !== undefined)
          events.onEnd(errorFromInfo(event.error, this.#bridge.lastError, this.#endpoint));
        return;
    }
  }

  async #answerHeaders(requestId: number, afterAuthRejection: boolean): Promise<void> {
    const answer = await this.#bridge.request(afterAuthRejection);
    this.#handle.provideHeaders(requestId, answer.headers ?? null, answer.error ?? null);
  }
}

/** The addon's stream configuration for one target. */
function streamConfig(context: NativeBackendContext, { table, options }: ConnectTarget): NativeStreamConfig {
  const descriptor = options.recordType === RecordType.Proto ? table.descriptorProto : undefined;
  const applicationName = context.config.applicationName;
  return {
    endpoint: context.endpoint,
    tableName: table.tableName,
    sdkIdentifier: context.sdkIdentifier,
    maxInflightRecords: Math.min(options.maxInflightRecords, U32_MAX),
    maxMessageBytes: Math.min(options.maxMessageBytes, U32_MAX),
    // Recovery is the core stream's: the Rust core makes one attempt (bounded by recoveryTimeoutMs). Its
    // own recovery is on only because that is when it honours the server's close signal (pausing as A.5
    // asks); every reconnection it then starts is refused by the binding, which reports the connection's
    // end instead. Its lack-of-ack timer restarts on every message received (not A.6): pushed out of the
    // way, the core stream's timer decides.
    recovery: options.recovery,
    recoveryTimeoutMs: options.recoveryTimeoutMs,
    recoveryBackoffMs: options.recoveryBackoffMs,
    recoveryRetries: 0,
    serverLackOfAckTimeoutMs: U32_MAX,
    ...(descriptor === undefined
      ? {}
      : { descriptorProto: Buffer.from(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength) }),
    ...(context.caPem === undefined ? {} : { caPem: context.caPem }),
    ...(applicationName ? { applicationName } : {}),
    ...(options.streamPausedMaxWaitTimeMs === undefined
      ? {}
      : { streamPausedMaxWaitTimeMs: options.streamPausedMaxWaitTimeMs }),
  };
}
