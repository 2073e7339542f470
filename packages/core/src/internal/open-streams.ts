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
  #closed = false;

  /** Refuses new streams once the backend is closed. */
  checkOpen(): void {
    if (this.#closed) throw new ZerobusError("invalid_state", "this backend is closed", { retryable: false });
  }

  add(stream: S): void {
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
    await Promise.allSettled([...this.#streams].map((stream) => stream.close()));
    const shutdown = new ZerobusError("stream_closed", "the backend was closed", { retryable: false });
    for (const stream of this.#streams) stream.abort(shutdown);
    this.#streams.clear();
    return true;
  }
}
