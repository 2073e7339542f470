import { describe, expect, it } from "vitest";
import { silentLogger, toLogger } from "./logger.js";
import { isZerobusError } from "./zerobus-error.js";

type Call = [string, ...unknown[]];

/** A logger recording its calls; `extra` makes it look like pino or bunyan. */
function recorder(extra: Record<PropertyKey, unknown> = {}): { calls: Call[]; logger: object } {
  const calls: Call[] = [];
  const logger: Record<PropertyKey, unknown> = { ...extra };
  for (const level of ["debug", "info", "warn", "error"]) {
    logger[level] = function (this: unknown, ...args: unknown[]) {
      // pino's methods read their state from `this`: a detached call would lose it.
      expect(this).toBe(logger);
      calls.push([level, ...args]);
    };
  }
  return { calls, logger };
}

describe("toLogger", () => {
  it("uses console-style loggers (message, fields) as they are", () => {
    const { calls, logger } = recorder();
    expect(toLogger(logger)).toBe(logger);
    expect(toLogger(console)).toBe(console);
    expect(toLogger(silentLogger)).toBe(silentLogger);
    toLogger(logger).info("hello", { a: 1 });
    expect(calls).toEqual([["info", "hello", { a: 1 }]]);
  });

  it("keeps winston-style loggers (a child method, level as a string) message-first", () => {
    const { logger } = recorder({ child: () => ({}), level: "info" });
    expect(toLogger(logger)).toBe(logger);
  });

  it.each([
    ["pino", { child: () => ({}), [Symbol.for("pino.serializers")]: {} }],
    ["bunyan", { child: () => ({}), level: () => 30, streams: [] }],
  ])("puts the fields first for %s and passes errors under err", (_name, shape) => {
    const { calls, logger } = recorder(shape);
    const adapted = toLogger(logger);
    expect(adapted).not.toBe(logger);
    const error = new Error("boom");
    adapted.debug("plain");
    adapted.warn("with fields", { table: "main.a.b" });
    adapted.error("failed", { error, streamId: "s" });
    expect(calls).toEqual([
      ["debug", "plain"],
      ["warn", { table: "main.a.b" }, "with fields"],
      ["error", { err: error, streamId: "s" }, "failed"],
    ]);
  });

  it.each([
    [console.log, /not a function \(pass the object/],
    [null, /got null/],
    ["console", /got string/],
    [{ debug() {}, info() {} }, /it has no warn, error/],
  ])("refuses %o, saying what is wrong", (candidate, message) => {
    let caught: unknown;
    try {
      toLogger(candidate, "logger");
    } catch (error) {
      caught = error;
    }
    expect(isZerobusError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: "invalid_argument" });
    expect((caught as Error).message).toMatch(message);
  });
});
