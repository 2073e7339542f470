import type { BackendStream } from "../backend.js";
import { ZerobusError } from "../zerobus-error.js";

/** A stream a backend can cut short when it closes. */
export interface AbortableStream extends BackendStream {
  /** Ends the stream at once with `error` (no flush). */
  abort(error: ZerobusError): void;
}

/**
 * The streams a backend has open, and the backend's own closing (ARCHITECTURE.md "The Backend contract"):
 * one implementation of the lifecycle both backends share.
 */
export class OpenStreams<S extends AbortableStream> {
  readonly #streams = new Set<S>();
  readonly #closing = new AbortController();
  #closed = false;

  /** Refuses new streams once the backend is closed. */
  checkOpen(): void {
    if (this.#closed) throw closedBackend();
  }

  /**
   * `signal` (an opening's own, if any) joined with one that fires when the backend starts closing, so
   * that an `openStream` still connecting then gives up instead of finishing after the close.
   */
  openingSignal(signal: AbortSignal | undefined): AbortSignal {
    return signal === undefined ? this.#closing.signal : AbortSignal.any([signal, this.#closing.signal]);
  }

  /**
   * Tracks a stream that finished opening. If the backend was closed meanwhile, the stream is cut at once
   * and this throws: the backend must not hand out a stream it will never close.
   */
  add(stream: S): void {
    if (this.#closed) {
      const error = closedBackend();
      stream.abort(error);
      throw error;
    }
    this.#streams.add(stream);
  }

  /** Forgets a stream that closed or failed on its own. */
  delete(stream: S): void {
    this.#streams.delete(stream);
  }

  /**
   * Closes every stream gracefully (each flush bounded by its `flushTimeoutMs`), then cuts whatever is left.
   * Resolves `false` when the backend was already closed.
   */
  async closeAll(): Promise<boolean> {
    if (this.#closed) return false;
    this.#closed = true;
    this.#closing.abort(closedBackend());
    await Promise.allSettled([...this.#streams].map((stream) => stream.close()));
    const shutdown = new ZerobusError("stream_closed", "the backend was closed", { retryable: false });
    for (const stream of this.#streams) stream.abort(shutdown);
    this.#streams.clear();
    return true;
  }
}

function closedBackend(): ZerobusError {
  return new ZerobusError("invalid_state", "this backend is closed", { retryable: false });
}
