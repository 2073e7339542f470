import type { Headers, HeadersContext, HeadersProvider, HeadersProviderLike } from "../../headers.js";
import { toHeadersProvider } from "../../headers.js";
import { ZerobusError } from "../../zerobus-error.js";
import { credentialsNotFound, credentialsSearched, isCredentialsNotFound } from "./credentials-not-found.js";
import { namedProvider } from "./named-provider.js";

/**
 * A provider that asks each of `providers` in order, on every call, and answers with the first one that
 * has credentials. A provider whose source is not configured says so with {@link credentialsNotFound}
 * and the chain moves on; any other error (a configured source that fails) stops the chain, so a broken
 * configuration is never masked by a later one. When no provider has credentials, the error lists what
 * each of them looked for.
 *
 * @example
 * ```ts
 * const provider = chain(fromEnv(), fromToken(process.env.MY_TOKEN ?? ""));
 * ```
 */
export function chain(...providers: HeadersProviderLike[]): HeadersProvider {
  if (providers.length === 0) {
    throw new ZerobusError("invalid_argument", "chain() needs at least one headers provider");
  }
  const links = providers.map((provider, index) => {
    try {
      return toHeadersProvider(provider);
    } catch (error) {
      throw new ZerobusError("invalid_argument", `chain(): provider ${index} is not a headers provider`, {
        cause: error,
      });
    }
  });
  return namedProvider("ChainProvider", { links: links.length }, async (context: HeadersContext) => {
    const lookedFor: string[] = [];
    for (const link of links) {
      try {
        return (await link.getHeaders(context)) as Headers;
      } catch (error) {
        if (!isCredentialsNotFound(error)) throw error;
        lookedFor.push(...credentialsSearched(error));
      }
    }
    throw credentialsNotFound(`no credentials found; looked for: ${lookedFor.join("; ")}`, lookedFor);
  });
}
