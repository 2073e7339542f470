import type { HeadersContext, HeadersProvider, HeadersReason } from "@zerobus/core";
import { resolveHeaders, ZerobusError } from "@zerobus/core";
import { SDK_HEADER, SDK_HEADER_VALUE } from "./version.js";

/** What the bridge needs besides the provider. */
export interface HeadersBridgeInit {
  provider: HeadersProvider;
  context: Omit<HeadersContext, "reason" | "signal">;
  /** Bound of one attempt (`recoveryTimeoutMs`): the provider's signal aborts after it. */
  attemptTimeoutMs: number;
  /** Aborted when the stream is over. */
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
 * Answers the core's header requests (one per connection attempt) with our `HeadersProvider`. The
 * reason is derived here: a request after the core saw an auth rejection is `unauthenticated`; else
 * `create` until the stream was created (its first attempt and the retries of its creation, as
 * backend-js says), `recovery` afterwards (PROTOCOL.md A.3, A.4). The provider's own error is kept so
 * the stream's failure can be reported as exactly that error.
 */
export class HeadersBridge {
  readonly #init: HeadersBridgeInit;
  #created = false;
  #lastError: ZerobusError | undefined;

  constructor(init: HeadersBridgeInit) {
    this.#init = init;
  }

  /** The provider's last failure, if any. */
  get lastError(): ZerobusError | undefined {
    return this.#lastError;
  }

  /** The stream was created: later attempts are recoveries. */
  created(): void {
    this.#created = true;
  }

  /** Asks the provider for the headers of one attempt. Never rejects. */
  async request(afterAuthRejection: boolean): Promise<HeadersAnswer> {
    const reason: HeadersReason = afterAuthRejection
      ? "unauthenticated"
      : this.#created
        ? "recovery"
        : "create";
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
