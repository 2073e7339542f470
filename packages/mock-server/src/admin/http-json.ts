import type { IncomingMessage, ServerResponse } from "node:http";
import { AdminRequestError, badRequest } from "./admin-request-error.js";

/** The largest request body accepted: a script's `send` bytes or a descriptor fit many times over. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Reads a request body as JSON; `undefined` when it is empty. Throws an `AdminRequestError` otherwise. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new AdminRequestError(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body is not JSON (${(error as Error).message}); send a JSON document`);
  }
}

/**
 * Writes `body` as JSON. Recordings hold bigints (offsets) and bytes (proto records), which JSON has no
 * type for: bigints become decimal strings, so no offset beyond 2^53 loses digits, and bytes become base64.
 */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, jsonSafe);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  response.end(text);
}

function jsonSafe(this: unknown, key: string, value: unknown): unknown {
  // Buffer's toJSON has already run by the time the replacer sees `value`; the holder has the original.
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) return Buffer.from(original).toString("base64");
  if (typeof value === "bigint") return value.toString();
  return value;
}
