import { ZerobusError } from "./zerobus-error.js";

/** Why the SDK asks for headers: a first connection, a reconnection, or a retry after UNAUTHENTICATED. */
export type HeadersReason = "create" | "recovery" | "unauthenticated";

/** What a {@link HeadersProvider} is told on each connection attempt. */
export interface HeadersContext {
  /** `unauthenticated` asks for fresh credentials: a caching provider must bypass its cache. */
  reason: HeadersReason;
  /** `catalog.schema.table` of the stream. */
  tableName: string;
  /** The Zerobus endpoint of the SDK. */
  endpoint: string;
  /** The SDK's `workspaceId` option, else the first label of the endpoint host. */
  workspaceId: string;
  /** Aborted when the attempt is abandoned (timeout, close, the caller's signal). */
  signal: AbortSignal;
}

/** gRPC metadata for one connection attempt. */
export type Headers = Record<string, string>;

/** Supplies the headers (usually `authorization`) of each connection attempt. */
export interface HeadersProvider {
  getHeaders(context: HeadersContext): Headers | Promise<Headers>;
}

/** A plain function is accepted wherever a provider is. */
export type HeadersProviderLike = HeadersProvider | HeadersProvider["getHeaders"];

/** Turns a function or an object into a {@link HeadersProvider}, refusing anything else. */
export function toHeadersProvider(provider: HeadersProviderLike): HeadersProvider {
  if (typeof provider === "function") return { getHeaders: provider };
  if (typeof provider === "object" && provider !== null && typeof provider.getHeaders === "function") {
    return provider;
  }
  throw new ZerobusError(
    "invalid_argument",
    "headers provider must be a function or an object with a getHeaders(context) method",
  );
}

/**
 * What gRPC metadata allows in a name (lower-cased): letters, digits, `-`, `_` and `.`, narrower than an
 * HTTP token; grpc-js refuses the rest with an error of its own.
 */
const headerNamePattern = /^[0-9a-z_.-]+$/;
/**
 * Printable ASCII and space: what gRPC carries as a text value (no tab, unlike HTTP). A value grpc-js
 * refused would come back in its error message, and a value is often a token.
 */
const headerValuePattern = /^[\x20-\x7e]*$/;

/**
 * Validates headers from a provider and lower-cases their names. A name gRPC metadata does not allow (or a
 * binary `-bin` one) or a value that is not a printable ASCII string is refused with `invalid_argument`;
 * the value is never quoted in the message (it may be a token).
 */
export function normalizeHeaders(headers: unknown): Headers {
  // A Map or a fetch `Headers` has no own enumerable entries: accepting it would drop every header.
  if (!isPlainObject(headers)) {
    throw new ZerobusError(
      "invalid_argument",
      "headers provider must return a plain object of header name to value",
    );
  }
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (!headerNamePattern.test(name)) {
      throw new ZerobusError(
        "invalid_argument",
        `header name ${JSON.stringify(rawName)} is not a valid gRPC metadata name (letters, digits, "-", "_", ".")`,
      );
    }
    // gRPC sends `-bin` headers as base64 of bytes: a text value there would be refused or mangled.
    if (name.endsWith("-bin")) {
      throw new ZerobusError(
        "invalid_argument",
        `header ${name} ends in "-bin", which gRPC reserves for binary values; use another name`,
      );
    }
    if (typeof value !== "string") {
      throw new ZerobusError(
        "invalid_argument",
        `header ${name} must have a string value, got ${value === null ? "null" : typeof value}`,
      );
    }
    if (!headerValuePattern.test(value)) {
      throw new ZerobusError(
        "invalid_argument",
        `header ${name} has characters that are not printable ASCII (tabs and line breaks included)`,
      );
    }
    // `Authorization` and `authorization` would collapse into one: refuse rather than drop one silently.
    if (seen.has(name)) {
      throw new ZerobusError(
        "invalid_argument",
        `header ${name} is given more than once (names ignore case)`,
      );
    }
    seen.add(name);
    entries.push([name, value]);
  }
  // fromEntries defines own properties, so even a `__proto__` header survives as data.
  return Object.fromEntries(entries);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The header naming the table; the SDK adds it when a provider does not. */
export const TABLE_NAME_HEADER = "x-databricks-zerobus-table-name";

/**
 * Calls the provider, normalises its answer and adds the table-name header when missing. Errors from the
 * provider become `ZerobusError`: a provider's own `ZerobusError` is kept as is, a failure after
 * `context.signal` fired becomes the signal's reason (`cancelled` for a plain abort), anything else
 * `auth_failed` (not retryable) with the original as `cause`.
 */
export async function resolveHeaders(provider: HeadersProvider, context: HeadersContext): Promise<Headers> {
  let raw: unknown;
  try {
    raw = await provider.getHeaders(context);
  } catch (error) {
    if (error instanceof ZerobusError) throw error;
    // A provider that gives up because the attempt was abandoned did not fail to authenticate.
    if (context.signal.aborted) throw ZerobusError.from(context.signal.reason ?? error);
    throw new ZerobusError("auth_failed", "the headers provider failed", { cause: error, retryable: false });
  }
  const headers = normalizeHeaders(raw);
  if (headers[TABLE_NAME_HEADER] === undefined) headers[TABLE_NAME_HEADER] = context.tableName;
  return headers;
}
