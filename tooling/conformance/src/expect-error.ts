import type { ZerobusErrorCode } from "@zerobus/core";
import { isZerobusError, ZerobusError } from "@zerobus/core";
import type { RecordedConnection } from "@zerobus/mock-server";
import { expect } from "vitest";

/** What a rejection must look like. */
export interface ExpectedError {
  code: ZerobusErrorCode;
  retryable?: boolean;
  grpcCode?: number;
}

/** Awaits `promise`, asserts it rejects with a `ZerobusError` matching `expected`, and returns the error. */
export async function expectRejection(
  promise: Promise<unknown>,
  expected: ExpectedError,
): Promise<ZerobusError> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  if (error === undefined)
    throw new Error(`expected a rejection with code ${expected.code}, but it resolved`);
  expect(isZerobusError(error), `not a ZerobusError: ${String(error)}`).toBe(true);
  expect(error).toBeInstanceOf(ZerobusError);
  expect(error).toMatchObject(expected);
  expect((error as ZerobusError).message.startsWith(`[${expected.code}]`)).toBe(true);
  return error as ZerobusError;
}

/** Resolves whether `promise` is still pending after `ms`. */
export async function isPendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setTimeout(resolve, ms));
  return !settled;
}

/** JSON records `{"n":from}` … `{"n":from+count-1}` (padded so sizes are predictable). */
export function jsonRecords(count: number, from = 0, tag = "r"): string[] {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ n: from + i, tag }));
}

/** The JSON texts a connection received, in order (proto records show as `false`). */
export function jsonTextsOf(connection: RecordedConnection | undefined): (string | false)[] {
  return (connection?.requests ?? []).flatMap((request) =>
    request.records.map((record) => record.kind === "json" && record.json),
  );
}
