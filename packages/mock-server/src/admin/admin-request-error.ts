/**
 * A request the admin endpoint refuses: `status` is the HTTP status (4xx) and `message` says what is wrong
 * and what to send instead. The endpoint answers it as `{ "error": message }`.
 */
export class AdminRequestError extends Error {
  override readonly name = "AdminRequestError";

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A 400 naming what is wrong with the request. */
export function badRequest(message: string): AdminRequestError {
  return new AdminRequestError(400, message);
}
