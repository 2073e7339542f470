import { ZerobusError } from "@zerobus/core";

/**
 * A wait for an accepted record was abandoned: the record is still delivered, so the error carries its
 * offset (API.md "Cancellation"). Other errors pass through.
 */
export function withAcceptedOffset(error: unknown, offset: bigint): unknown {
  if (!(error instanceof ZerobusError) || error.code !== "cancelled" || error.offset !== undefined)
    return error;
  return new ZerobusError(
    "cancelled",
    `${error.rawMessage} (record accepted at offset ${offset}; it is still delivered)`,
    {
      retryable: false,
      offset,
      cause: error,
    },
  );
}
