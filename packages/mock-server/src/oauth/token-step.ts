/**
 * One scripted answer of the token endpoint, consumed by the next valid request (a request that fails the
 * checks gets its error and leaves the script where it is). `delayMs` holds the answer back.
 *
 * - `{ error: { status, body? } }`: any 4xx/5xx with a JSON or text body;
 * - `{ token: { expiresInSeconds?, omitAccessToken? } }`: a normal answer with a short (or long) expiry, or
 *   one without `access_token`;
 * - `{ malformedJson: true }`: a 200 whose body is not JSON.
 */
export type TokenStep =
  | { error: { status: number; body?: string | Record<string, unknown> }; delayMs?: number }
  | { token: { expiresInSeconds?: number; omitAccessToken?: boolean }; delayMs?: number }
  | { malformedJson: true; delayMs?: number };
