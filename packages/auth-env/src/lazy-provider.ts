import type { HeadersContext, HeadersProvider } from "@zerobus/core";
import type { ExpiringCredential } from "@zerobus/core/internal";
import { memoize, namedProvider } from "@zerobus/core/internal";

/** The provider found by a lookup; it does not expire, only `reason: "unauthenticated"` replaces it. */
interface Found extends ExpiringCredential {
  provider: HeadersProvider;
}

/**
 * A provider that finds its real provider on the first `getHeaders` call (never at construction), keeps
 * it, and looks again after `reason: "unauthenticated"`, so credentials rotated in the environment or the
 * config file are picked up by the retry the SDK makes. Concurrent first calls share one lookup; a failed
 * lookup is not kept.
 */
export function lazyProvider(
  name: string,
  details: Record<string, string>,
  resolve: () => Promise<HeadersProvider>,
): HeadersProvider {
  const current = memoize<Found>(async () => ({ provider: await resolve() }), { cacheKey: () => "" });
  return namedProvider(name, details, async (context: HeadersContext) => {
    const { provider } = await current(context);
    return provider.getHeaders(context);
  });
}
