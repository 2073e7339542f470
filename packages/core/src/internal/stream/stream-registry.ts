import type { Backend, BackendCapabilities } from "../../backend.js";
import type { HeadersProvider } from "../../headers.js";
import { toHeadersProvider } from "../../headers.js";
import type { Logger } from "../../logger.js";
import { silentLogger } from "../../logger.js";
import type { StreamOpener } from "../../stream-opener.js";
import type { ResolvedStreamOptions } from "../../stream-options.js";
import type { OpenStreamContext, TableDescriptor } from "../../wire-stream.js";
import { ZerobusError } from "../../zerobus-error.js";
import { diagnosticsObserver } from "../observe/diagnostics/diagnostics-observer.js";
import { ObserverFanout } from "../observe/observer-fanout.js";
import type { ObservedStream, StreamObserver, StreamObserverFactory } from "../observe/stream-observer.js";
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
  /**
   * The Zerobus endpoint the backend connects to (`BackendConfig.endpoint`): observers get its host and
   * port (`ObservedStream.serverAddress`, `serverPort`; empty and 0 without it).
   */
  readonly endpoint?: string;
  /**
   * An observer of every stream besides the always-on `node:diagnostics_channel` publisher (issue 18: the
   * OpenTelemetry recorder): a {@link StreamObserverFactory}, or a loader of one — a function that returns
   * a promise — awaited once, at the first stream (a rejected load fails that opening with its error and
   * is tried again by the next). Each call reaches both; a throw is logged (`warn`) and goes no further.
   */
  readonly observer?: StreamObserverFactory | (() => Promise<StreamObserverFactory>);
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
  readonly #server: { readonly address: string; readonly port: number };
  /** The observer option as given: a factory, or a loader until the first stream tells which. */
  readonly #observerOption: StreamRegistryOptions["observer"];
  /** The extra observer factory once known (loaded, or the option itself); `null`: none. */
  #observerFactory: StreamObserverFactory | null | undefined;
  #observerLoading: Promise<StreamObserverFactory> | undefined;
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
    this.#server = serverOf(options.endpoint);
    this.#observerOption = options.observer;
    if (options.observer === undefined) this.#observerFactory = null;
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
    const observed: ObservedStream = {
      table: table.tableName,
      backend: backend.name,
      serverAddress: this.#server.address,
      serverPort: this.#server.port,
      recordType: options.recordType,
    };
    const observer = await this.#observerFor(observed);
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
      observer,
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

  /**
   * The observer of one stream: the diagnostics publisher alone (it never throws, and a stream nobody
   * watches then pays one property read per moment), or with the extra observer behind a fan-out that
   * guards each call. A factory that throws is logged and leaves the stream with the publisher only.
   */
  async #observerFor(stream: ObservedStream): Promise<StreamObserver> {
    const diagnostics = diagnosticsObserver(stream);
    let factory = this.#observerFactory;
    let made: StreamObserver | undefined;
    if (factory === undefined) {
      if (this.#observerLoading !== undefined) {
        factory = await this.#observerLoading;
      } else {
        // Either kind is called with the stream: a loader ignores it and returns a promise of a factory.
        const option = this.#observerOption as (stream: ObservedStream) => unknown;
        let result: unknown;
        try {
          result = option(stream);
        } catch (error) {
          this.#observerFactory = option as StreamObserverFactory;
          this.#factoryThrew(error);
          return diagnostics;
        }
        if (isThenable(result)) {
          factory = await this.#loadObserver(result as PromiseLike<StreamObserverFactory>);
        } else {
          this.#observerFactory = option as StreamObserverFactory;
          made = result as StreamObserver;
        }
      }
    }
    if (made === undefined && factory !== null && factory !== undefined) {
      try {
        made = factory(stream);
      } catch (error) {
        this.#factoryThrew(error);
      }
    }
    return made === undefined ? diagnostics : new ObserverFanout([diagnostics, made], this.#logger);
  }

  #loadObserver(loading: PromiseLike<StreamObserverFactory>): Promise<StreamObserverFactory> {
    const loaded = Promise.resolve(loading).then((factory) => {
      if (typeof factory !== "function") {
        throw new ZerobusError("invalid_argument", "the observer loader must resolve to a function");
      }
      this.#observerFactory = factory;
      return factory;
    });
    this.#observerLoading = loaded;
    // A load that failed is tried again by the next stream (as the backend's).
    loaded.catch(() => {
      if (this.#observerLoading === loaded) this.#observerLoading = undefined;
    });
    return loaded;
  }

  #factoryThrew(error: unknown): void {
    this.#logger.warn(
      "the stream observer factory threw; the stream is observed by diagnostics_channel only",
      {
        error,
      },
    );
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

/** Host and port of an endpoint URL (the scheme's port when none is written); empty and 0 without one. */
function serverOf(endpoint: string | undefined): { address: string; port: number } {
  if (endpoint === undefined) return { address: "", port: 0 };
  try {
    const url = new URL(endpoint);
    const port = url.port === "" ? (url.protocol === "http:" ? 80 : 443) : Number(url.port);
    return { address: url.hostname.replace(/^\[|\]$/g, ""), port };
  } catch {
    return { address: "", port: 0 };
  }
}

function isThenable(value: unknown): boolean {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === "function";
}
