/** What a matcher returns to `expect.extend` (vitest's `SyncExpectationResult`, which it does not export). */
export interface MatcherOutcome {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

/**
 * A matcher's outcome. `actual` and `expected` go to vitest only when the match failed: vitest prints them
 * as the one diff under the message. When the match passed and `.not` fails, they are equal, and a diff
 * would read "Compared values have no visual difference", so the message stands alone.
 */
export function outcome(
  pass: boolean,
  message: (pass: boolean) => string,
  actual: unknown,
  expected: unknown,
): MatcherOutcome {
  return pass
    ? { pass, message: () => message(pass) }
    : { pass, message: () => message(pass), actual, expected };
}
