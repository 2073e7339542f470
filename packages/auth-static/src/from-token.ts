import type { HeadersProvider } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import { namedProvider } from "@zerobus/core/internal";

/** Printable ASCII without spaces: what an RFC 6750 bearer token may contain, and what a header carries. */
const tokenPattern = /^[\x21-\x7e]+$/;

/**
 * A provider sending a fixed bearer token (`authorization: Bearer <token>`) on every connection attempt,
 * for a token obtained elsewhere (a personal access token, a token from your own OAuth flow). The token is
 * never refreshed: when the server rejects it the stream fails; use `@zerobus/auth-oauth` for tokens
 * that expire. `util.inspect` and `JSON.stringify` of the provider do not show the token.
 *
 * @param token - the bearer token, without the `Bearer ` prefix; or an object holding it as `token`, such
 *   as what `@zerobus/mock-server`'s `server.issueToken(table)` returns (so `fromToken(server.issueToken(t))`
 *   works as it reads). Its other fields (an expiry, say) are ignored: the token is still never refreshed.
 * @throws ZerobusError `invalid_argument` when `token` is not a non-empty string of printable ASCII
 *   without spaces, or an object whose `token` is one (the message never quotes it)
 *
 * @example
 * ```ts
 * import { fromToken } from "@zerobus/auth-static";
 * const stream = await sdk.createStreamWithHeadersProvider("main.default.events", fromToken(myToken));
 * ```
 */
export function fromToken(token: string | { readonly token: string }): HeadersProvider {
  if (typeof token === "object" && token !== null) {
    const held = (token as { token?: unknown }).token;
    if (typeof held !== "string" || held === "") {
      throw new ZerobusError(
        "invalid_argument",
        "fromToken(token): an object given as the token must hold it as a non-empty string in `token`",
      );
    }
    return fromToken(held);
  }
  if (typeof token !== "string" || token === "") {
    throw new ZerobusError(
      "invalid_argument",
      "fromToken(token): token must be a non-empty string (or an object holding one as `token`)",
    );
  }
  if (/^bearer\s/i.test(token)) {
    throw new ZerobusError(
      "invalid_argument",
      'fromToken(token): pass the token without the "Bearer " prefix',
    );
  }
  if (!tokenPattern.test(token)) {
    throw new ZerobusError(
      "invalid_argument",
      "fromToken(token): token must be printable ASCII without spaces or line breaks",
    );
  }
  const authorization = `Bearer ${token}`;
  return namedProvider("StaticTokenProvider", {}, () => ({ authorization }));
}
