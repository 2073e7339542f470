import type { HeadersContext, HeadersProvider, HeadersReason } from "@zerobus/core";
import { resolveHeaders, ZerobusError } from "@zerobus/core";
import { SDK_HEADER, SDK_HEADER_VALUE } from "./version.js";

/** What the bridge needs besides the provider. */
export interface HeadersBridgeInit {
  provider: HeadersProvider;
  context: Omit<HeadersContext, "reason" | "signal">;
  /** Why the core stream makes this connection attempt (`create`, `recovery` or `unauthenticated`). */
  reason: HeadersReason;
  /** Bound of one attempt (`recoveryTimeoutMs`): the provider's signal aborts after it. */
  attemptTimeoutMs: number;
  /** Aborted when the attempt is abandoned or the connection is over. */
  lifetime: AbortSignal;
}

/** The answer for the addon's `provideHeaders`: name/value pairs, or the failure. */
export type HeadersAnswer =
  | { headers: string[][]; error?: undefined }
  | {
      headers?: undefined;
      error: { code: string; retryable: boolean; message: string; fromHeadersProvider: true };
    };

/**
 * Answers the Rust core's header requests for one connection with our `HeadersProvider`, with the reason
 * of the core stream's attempt (the Rust core's own recovery is off, so it asks once per connection; a
 * request after it saw an auth rejection would say `unauthenticated`). The provider's own error is kept so
 * the connection's failure can be reported as exactly that error.
 */
export class HeadersBridge {
  readonly #init: HeadersBridgeInit;
  #lastError: ZerobusError | undefined;

  constructor(init: HeadersBridgeInit) {
    this.#init = init;
  }

  /** The provider's last failure, if any. */
  get lastError(): ZerobusError | undefined {
    return this.#lastError;
  }

  /** Asks the provider for the headers of one attempt. Never rejects. */
  async request(afterAuthRejection: boolean): Promise<HeadersAnswer> {
    const reason: HeadersReason = afterAuthRejection ? "unauthenticated" : this.#init.reason;
    const signal = AbortSignal.any([this.#init.lifetime, AbortSignal.timeout(this.#init.attemptTimeoutMs)]);
    try {
      const headers = await resolveHeaders(this.#init.provider, { ...this.#init.context, reason, signal });
      if (headers[SDK_HEADER] === undefined) headers[SDK_HEADER] = SDK_HEADER_VALUE;
      this.#lastError = undefined;
      return { headers: Object.entries(headers) };
    } catch (thrown) {
      const error = ZerobusError.from(thrown);
      this.#lastError = error;
      return {
        error: {
          code: error.code,
          retryable: error.retryable,
          message: error.rawMessage,
          fromHeadersProvider: true,
        },
      };
    }
  }
}
