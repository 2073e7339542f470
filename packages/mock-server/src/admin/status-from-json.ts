import { GrpcStatusCode, type StatusCode, type StatusSpec } from "../status.js";
import { badRequest } from "./admin-request-error.js";

const HIGHEST_CODE = GrpcStatusCode.UNAUTHENTICATED;

/**
 * Reads a gRPC status as JSON clients write it: a code (`14`), a name (`"UNAVAILABLE"`, any case), or
 * `{ "code": 14 | "UNAVAILABLE", "details": "…" }`. `where` names the field in the error.
 */
export function statusFromJson(value: unknown, where: string): StatusSpec {
  if (typeof value === "number" || typeof value === "string") return codeFromJson(value, where);
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const { code, details, ...rest } = value as Record<string, unknown>;
    const unknownKeys = Object.keys(rest);
    if (unknownKeys.length > 0) {
      throw badRequest(
        `${where}: unknown key ${JSON.stringify(unknownKeys[0])} (a status has code, details)`,
      );
    }
    if (code === undefined) throw badRequest(`${where}: a status needs a code`);
    const resolved = codeFromJson(code, `${where}.code`);
    if (details === undefined) return { code: resolved };
    if (typeof details !== "string") throw badRequest(`${where}.details must be a string`);
    return { code: resolved, details };
  }
  throw badRequest(
    `${where} must be a gRPC status: a code, a name such as "UNAVAILABLE", or { code, details }`,
  );
}

function codeFromJson(value: unknown, where: string): StatusCode {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0 && value <= HIGHEST_CODE) return value;
    throw badRequest(`${where}: ${value} is not a gRPC status code (0 to ${HIGHEST_CODE})`);
  }
  if (typeof value === "string") {
    const code = (GrpcStatusCode as unknown as Record<string, unknown>)[value.toUpperCase()];
    if (typeof code === "number") return code;
    throw badRequest(
      `${where}: ${JSON.stringify(value)} is not a gRPC status name (OK, CANCELLED, … UNAUTHENTICATED)`,
    );
  }
  throw badRequest(`${where}: a status code is a number or a name such as "UNAVAILABLE"`);
}
