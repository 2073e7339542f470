import type { Backend, BackendCapabilities } from "../../backend.js";
import type { HeadersProvider } from "../../headers.js";
import { toHeadersProvider } from "../../headers.js";
import type { Logger } from "../../logger.js";
import { silentLogger } from "../../logger.js";
import type { StreamOpener } from "../../stream-opener.js";
import type { ResolvedStreamOptions } from "../../stream-options.js";
import type { OpenStreamContext, TableDescriptor } from "../../wire-stream.js";
import { ZerobusError } from "../../zerobus-error.js";
import { CoreStream } from "./core-stream.js";

/** Everything one stream is opened with. */
export interface OpenRequest {
  readonly table: TableDescriptor;
  readonly options: ResolvedStreamOptions;
  readonly headers: HeadersProvider;
  readonly context?: OpenStreamContext | undefined;
}

/** What a {@link StreamRegistry} is built with besides its backend. */
export interface StreamRegistryOptions {
  /** The streams' logger (slow start and recovery debug lines). */
  readonly logger?: Logger;
  /** Who owns it, for the error after {@link StreamRegistry.close}: "this `<owner>` is closed". */
  readonly owner?: string;
}

/**
 * The one place where open streams are tracked: it opens {@link CoreStream}s over one backend (loaded at
 * the first stream when given as a function), recreates them, and closes them all — each flushed, bounded
 * by its `flushTimeoutMs`, then whatever is left cut — before it closes the backend. Openings still in
 * progress when it closes are stopped and reject with `invalid_state`; it hands out no stream it would not
 * close.
 *
 * @example
 * ```ts
 * const streams = new StreamRegistry(createBackend(config));
 * const stream = await streams.openStream({ tableName }, resolveStreamOptions({}, { hasDescriptor: false }), headers);
 * await stream.ingestRecord('{"id":1}');
 * await streams.close(); // flushes and closes the stream, then the backend
 * ```
 */
export class StreamRegistry implements StreamOpener {
  readonly #load: () => Promise<Backend>;
  readonly #logger: Logger;
  readonly #owner: string;
  #backend: Promise<Backend> | undefined;
  #loaded: Backend | undefined;
  readonly #open = new Set<CoreStream>();
  /** Every stream opened here, open or over (what {@link owns} answers). */
  readonly #opened = new WeakSet<CoreStream>();
  readonly #openings = new Set<Promise<CoreStream>>();
  /** Aborted when closing starts: openings still connecting give up instead of finishing after. */
  readonly #closingSignal = new AbortController();
  #closing: Promise<void> | undefined;

  constructor(backend: Backend | (() => Promise<Backend>), options: StreamRegistryOptions = {}) {
    if (typeof backend === "function") {
      this.#load = backend;
    } else {
      this.#loaded = backend;
      this.#load = () => Promise.resolve(backend);
    }
    this.#logger = options.logger ?? silentLogger;
    this.#owner = options.owner ?? "backend";
  }

  /** The backend's capabilities; known once the backend is loaded (at once when given as an object). */
  get capabilities(): BackendCapabilities {
    if (this.#loaded === undefined) {
      throw new ZerobusError("invalid_state", "the backend is loaded at the first stream");
    }
    return this.#loaded.capabilities;
  }

  /** How many streams are open (neither closed nor failed). */
  get size(): number {
    return this.#open.size;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Whether `stream` was opened here (open or over). */
  owns(stream: unknown): stream is CoreStream {
    return stream instanceof CoreStream && this.#opened.has(stream);
  }

  /** Refuses with `invalid_state` once {@link close} was called. */
  checkOpen(): void {
    if (this.closed) throw this.#closedError();
  }

  openStream(
    table: TableDescriptor,
    options: ResolvedStreamOptions,
    headers: HeadersProvider,
    context?: OpenStreamContext,
  ): Promise<CoreStream> {
    return this.openPrepared(Promise.resolve({ table, options, headers, context }));
  }

  /**
   * Opens a stream whose request is still being prepared (the SDK resolves tables asynchronously): the
   * whole opening counts as in progress, so {@link close} waits for it and it then rejects.
   */
  openPrepared(request: Promise<OpenRequest>): Promise<CoreStream> {
    try {
      this.checkOpen();
    } catch (error) {
      request.catch(() => {});
      return Promise.reject(error);
    }
    const opening = this.#openPrepared(request);
    this.#openings.add(opening);
    const forget = () => this.#openings.delete(opening);
    opening.then(forget, forget);
    return opening;
  }

  /**
   * Closes every open stream (flushing each), stops openings in progress, cuts what is left, then closes
   * the backend. Every call resolves once all of that is done.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #openPrepared(prepared: Promise<OpenRequest>): Promise<CoreStream> {
    const { table, options, headers, context = {} } = await prepared;
    this.checkOpen();
    const backend = await this.#backendNow();
    this.checkOpen();
    const signal = context.signal
      ? AbortSignal.any([context.signal, this.#closingSignal.signal])
      : this.#closingSignal.signal;
    // A plain function is accepted too (as everywhere a provider is, API.md "Auth").
    const provider = toHeadersProvider(headers);
    const stream = await CoreStream.open({
      backend,
      target: { table, options, headers: provider },
      context: { ...context, signal },
      logger: this.#logger,
      host: {
        reopen: (next) => this.openStream(table, options, provider, next),
        finished: (finished) => this.#open.delete(finished),
      },
    });
    if (this.closed) {
      const error = this.#closedError();
      stream.abort(error);
      throw error;
    }
    this.#open.add(stream);
    this.#opened.add(stream);
    return stream;
  }

  #backendNow(): Promise<Backend> {
    if (this.#backend === undefined) {
      const loading = this.#load().then((backend) => {
        this.#loaded = backend;
        return backend;
      });
      this.#backend = loading;
      // A load that failed (the addon, say) is tried again by the next stream.
      loading.catch(() => {
        if (this.#backend === loading) this.#backend = undefined;
      });
    }
    return this.#backend;
  }

  async #close(): Promise<void> {
    this.#closingSignal.abort(this.#closedError());
    await Promise.allSettled([...this.#open].map((stream) => stream.close()));
    await Promise.allSettled([...this.#openings]);
    const shutdown = new ZerobusError("stream_closed", `the ${this.#owner} was closed`, { retryable: false });
    for (const stream of this.#open) stream.abort(shutdown);
    this.#open.clear();
    const backend = await this.#backend?.catch(() => undefined);
    await backend?.close();
  }

  #closedError(): ZerobusError {
    return new ZerobusError("invalid_state", `this ${this.#owner} is closed`, { retryable: false });
  }
}
