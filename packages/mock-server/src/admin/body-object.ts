import { badRequest } from "./admin-request-error.js";

/**
 * A JSON body that must be an object with only `keys` (an empty body reads as `{}`), so a misspelt field
 * is refused instead of ignored.
 */
export function bodyObject(body: unknown, keys: readonly string[]): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest(`the body must be a JSON object${keys.length ? ` with ${keys.join(", ")}` : ""}`);
  }
  const unknown = Object.keys(body).find((key) => !keys.includes(key));
  if (unknown !== undefined) {
    throw badRequest(
      `unknown field ${JSON.stringify(unknown)}; the body takes ${keys.join(", ") || "no fields"}`,
    );
  }
  return body as Record<string, unknown>;
}

/** An optional string field of a body. */
export function optionalString(fields: Record<string, unknown>, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || typeof value === "string") return value;
  throw badRequest(`${key} must be a string`);
}
