import type { Headers, HeadersProvider } from "@zerobus/core";
import { normalizeHeaders, ZerobusError } from "@zerobus/core";
import { namedProvider } from "@zerobus/core/internal";

/**
 * A provider sending the same headers on every connection attempt (for a gateway or a custom scheme).
 * Names are lower-cased and checked now, not at the first connection; the headers are copied, so later
 * changes to `headers` have no effect. `util.inspect` and `JSON.stringify` show the header names only,
 * never their values. The SDK adds `x-databricks-zerobus-table-name` when it is absent.
 *
 * @throws ZerobusError `invalid_argument` for an empty object, a name that is not a header token, a
 *   value that is not a printable ASCII string, or a name given twice in different case
 *
 * @example
 * ```ts
 * import { fromHeaders } from "@zerobus/auth-static";
 * const provider = fromHeaders({ authorization: `Bearer ${token}`, "x-gateway-key": key });
 * ```
 */
export function fromHeaders(headers: Headers): HeadersProvider {
  const normalized = normalizeHeaders(headers);
  const names = Object.keys(normalized);
  if (names.length === 0) {
    throw new ZerobusError("invalid_argument", "fromHeaders(headers): headers must name at least one header");
  }
  if (names.length !== Object.keys(headers).length) {
    throw new ZerobusError(
      "invalid_argument",
      "fromHeaders(headers): a header name is given more than once (names are case-insensitive)",
    );
  }
  const frozen = Object.freeze(normalized);
  return namedProvider("StaticHeadersProvider", { headers: names.join(",") }, () => ({ ...frozen }));
}
