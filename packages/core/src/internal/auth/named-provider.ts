import type { Headers, HeadersContext, HeadersProvider } from "../../headers.js";

/** Node's `util.inspect.custom`, by its registered name, so core needs no `node:util`. */
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * A {@link HeadersProvider} whose `util.inspect`, `JSON.stringify` and `String()` show only `name` and
 * the non-secret `details` given here. Secrets stay in the closure behind `getHeaders`, so logging a
 * provider (or an object holding one) can never print a token or a client secret.
 */
export function namedProvider(
  name: string,
  details: Record<string, string | number | boolean>,
  getHeaders: (context: HeadersContext) => Promise<Headers> | Headers,
): HeadersProvider {
  const describe = (): string => `${name} ${JSON.stringify(details)}`;
  const provider = { getHeaders };
  Object.defineProperties(provider, {
    toJSON: { value: () => ({ provider: name, ...details }) },
    toString: { value: describe },
    [inspectCustom]: { value: describe },
  });
  return provider;
}
