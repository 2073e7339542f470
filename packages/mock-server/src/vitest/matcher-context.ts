/**
 * What the matchers use of the `this` vitest gives them (its `MatcherState`, which `vitest` 3.2 does not
 * export by name: declaring our own keeps the published types valid on every vitest the peer range allows).
 */
export interface MatcherContext {
  readonly isNot: boolean;
  readonly customTesters: readonly unknown[];
  /** vitest's equality: asymmetric matchers, custom testers, and with `strictCheck` types and undefined keys. */
  equals(a: unknown, b: unknown, customTesters?: readonly unknown[], strictCheck?: boolean): boolean;
}
