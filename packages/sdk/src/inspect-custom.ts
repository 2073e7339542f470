import type { inspect } from "node:util";

/**
 * Node's `util.inspect.custom`, by its registered name: importing `node:util` as an ES module costs a fresh
 * process more than the one symbol needed here (every export of the builtin is read to build its namespace).
 */
export const inspectCustom: typeof inspect.custom = Symbol.for(
  "nodejs.util.inspect.custom",
) as typeof inspect.custom;
