import type {
  Logger,
  OpenStreamContext,
  ResolvedStreamOptions,
  StreamEvents,
  StreamState,
  StreamStats,
} from "@zerobus/core";
import { RecordType, type ZerobusError } from "@zerobus/core";
import type { StreamHost, WireRequest } from "@zerobus/core/internal";
import { cancelledError, EngineBackedStream, listenForAbort, StreamEngine } from "@zerobus/core/internal";
import type { NativeEvent, NativeStream, NativeStreamConfig } from "../addon/binding.cjs";
import type { HeadersBridge } from "./headers-bridge.js";
import type { NativeAddon } from "./load-native.js";
import { errorFromInfo, errorFromNative } from "./native-error.js";

/** What a stream needs from its backend. */
export interface NativeStreamContext extends StreamHost<NativeBackendStream> {
  readonly addon: NativeAddon;
  readonly tableName: string;
  readonly config: NativeStreamConfig;
  /** Builds the headers bridge of the stream, bound to its lifetime. */
  readonly headers: (lifetime: AbortSignal) => HeadersBridge;
  readonly logger: Logger;
}

const liveStates: ReadonlySet<StreamState> = new Set(["open", "paused", "recovering"]);

/**
 * A stream of backend-native: the shared {@link StreamEngine} for records, offsets and waiters, over one
 * stream of the Rust core. Each engine request becomes one napi call and one core ingest call, so the
 * core's offset *k* is the engine's wire offset *k*; the core's acks come back coalesced (one event per
 * ack), its connection events set the state, and its terminal failure fails the engine.
 */
export class NativeBackendStream extends EngineBackedStream<NativeBackendStream> {
  readonly #context: NativeStreamContext;
  readonly #bridge: HeadersBridge;
  #handle: NativeStream | undefined;
  #streamId: string | undefined;
  /** Records handed to the core so far, and those counted as re-sent by its recoveries. */
  #handedRecords = 0;
  #resentRecords = 0;
  readonly #pump = (): void => this.#send();

  private constructor(context: NativeStreamContext, engine: StreamEngine, events: StreamEvents | undefined) {
    super(context.tableName, engine, context, events);
    this.#context = context;
    this.#bridge = context.headers(this.lifetime.signal);
  }

  /** Creates the core stream (with the core's retries) and resolves once the server answered. */
  static async open(
    context: NativeStreamContext,
    options: ResolvedStreamOptions,
    open: OpenStreamContext,
  ): Promise<NativeBackendStream> {
    const signal = open.signal;
    if (signal?.aborted) throw cancelledError(signal, "stream creation");
    const engine = new StreamEngine({
      options,
      events: open.events,
      logger: context.logger,
      seed: open.seed,
    });
    const stream = new NativeBackendStream(context, engine, open.events);
    const handle = new context.addon.NativeStream(context.config, (event) => stream.#onEvent(event));
    stream.#handle = handle;
    const stopListening = listenForAbort(signal, () => handle.abort());
    try {
      stream.#streamId = (await handle.open()) ?? undefined;
    } catch (error) {
      stream.lifetime.abort();
      if (signal?.aborted) throw cancelledError(signal, "stream creation");
      throw errorFromNative(error, stream.#bridge.lastError);
    } finally {
      stopListening();
    }
    if (signal?.aborted) {
      // Aborted as the creation completed: the caller gave up, so the new stream goes at once.
      handle.abort();
      stream.lifetime.abort();
      throw cancelledError(signal, "stream creation");
    }
    stream.#bridge.created();
    engine.noteConnection();
    engine.setWakeHandler(stream.#pump);
    return stream;
  }

  // ---- BackendStream ----------------------------------------------------------------------------------

  get streamId(): string | undefined {
    return this.#streamId;
  }

  override stats(): StreamStats {
    const stats = this.engine.stats();
    // The core re-sends by itself, so the engine never requeues: the binding counts what was in flight.
    return { ...stats, recordsResent: stats.recordsResent + this.#resentRecords };
  }

  /** Ends the stream at once with `error` (backend shutdown): nothing more is sent. */
  abort(error: ZerobusError): void {
    this.#handle?.abort();
    this.fail(error);
  }

  // ---- internals --------------------------------------------------------------------------------------

  /** Hands every queued request to the core, one napi call each, in order. */
  #send(): void {
    const handle = this.#handle;
    if (handle === undefined) return;
    try {
      for (let request = this.engine.nextRequest(); request; request = this.engine.nextRequest()) {
        this.#hand(handle, request);
      }
    } catch (error) {
      handle.abort();
      this.fail(errorFromNative(error));
    }
  }

  #hand(handle: NativeStream, request: WireRequest): void {
    this.#handedRecords += request.records.length;
    if (this.recordType === RecordType.Json) handle.ingestJson(request.records as string[]);
    else handle.ingestProto(request.records as Uint8Array[]);
  }

  #onEvent(event: NativeEvent): void {
    switch (event.kind) {
      case "headers":
        void this.#answerHeaders(event.requestId ?? 0, event.afterAuthRejection ?? false);
        return;
      case "ack":
        if (event.upTo !== undefined) this.#acknowledge(event.upTo);
        return;
      case "connected":
        this.#streamId = event.streamId;
        // The core 2.9.0 reports each connection twice (created, then created or recovered): count the
        // first at creation (in `open`) and each later one by its "recovered" report.
        if (event.recovered === true) {
          this.engine.noteConnection();
          this.engine.noteRecovery();
        }
        if (liveStates.has(this.engine.state)) this.engine.setState("open");
        return;
      case "recovering":
        // Everything handed to the core and not yet acknowledged here will be sent again (an upper bound:
        // acks already received by the core may still be on their way to JS).
        this.#resentRecords += this.#handedRecords - this.engine.stats().recordsAcked;
        if (liveStates.has(this.engine.state)) this.engine.setState("recovering");
        return;
      case "failed":
        if (event.error !== undefined) this.fail(errorFromInfo(event.error, this.#bridge.lastError));
        return;
    }
  }

  async #answerHeaders(requestId: number, afterAuthRejection: boolean): Promise<void> {
    const answer = await this.#bridge.request(afterAuthRejection);
    this.#handle?.provideHeaders(requestId, answer.headers ?? null, answer.error ?? null);
  }

  #acknowledge(upTo: bigint): void {
    const error = this.engine.acknowledge(upTo);
    // The core checked nothing (capability ackValidation); an ack the engine cannot place means the two
    // disagree about what was sent, so the stream cannot go on.
    if (error !== undefined) {
      this.#handle?.abort();
      this.fail(error);
    }
  }

  /**
   * Everything is acknowledged after a successful flush, so the core's own flush inside its close returns at
   * once; after a failed flush the core stream is dropped instead (its close would wait for the records).
   */
  protected async releaseConnection(flushed: boolean): Promise<void> {
    if (!flushed) {
      this.#handle?.abort();
      return;
    }
    try {
      await this.#handle?.close();
    } catch (error) {
      this.#context.logger.warn("closing the native stream failed", { error: errorFromNative(error) });
    }
  }
}
