import type { BackendCapabilities } from "./backend.js";
import type { HeadersProvider } from "./headers.js";
import type { ResolvedStreamOptions } from "./stream-options.js";
import type { OpenStreamContext, TableDescriptor, WireStream } from "./wire-stream.js";

/**
 * What opens {@link WireStream}s and closes them all: `@zerobus/core/internal`'s `StreamRegistry` over a
 * `Backend`, or a test's adapter over the public API of `@zerobus/sdk`.
 */
export interface StreamOpener {
  readonly capabilities: BackendCapabilities;
  /**
   * Opens a stream: connects (with retries per the options), sends the create request and resolves once
   * the server answered it. Rejects with a `ZerobusError`.
   */
  openStream(
    table: TableDescriptor,
    options: ResolvedStreamOptions,
    headers: HeadersProvider,
    context?: OpenStreamContext,
  ): Promise<WireStream>;
  /** Closes every stream it opened (each flushed, bounded by its `flushTimeoutMs`) and what carries them. */
  close(): Promise<void>;
}
