import { describe, expect, it } from "vitest";
import type { FaultPlan } from "./fault-plan.js";
import { validateFaultPlan } from "./validate-fault-plan.js";

describe("validateFaultPlan", () => {
  it.each<[string, unknown, string]>([
    ["not an object", "cut", "a plan is an object"],
    ["an unknown fault", { drop: true }, 'unknown fault "drop" (use refuse, cut, stall, delay, throttle)'],
    ["refuse other than true", { refuse: false }, "refuse must be true"],
    [
      "refuse with another fault",
      { refuse: true, delay: { ms: 1 } },
      "refuse cannot be combined with other faults",
    ],
    ["a cut without afterBytes", { cut: { how: "fin" } }, "cut.afterBytes must be an integer ≥ 0"],
    ["a negative cut", { cut: { afterBytes: -1 } }, "cut.afterBytes must be an integer ≥ 0"],
    ["a fractional cut", { cut: { afterBytes: 1.5 } }, "cut.afterBytes must be an integer ≥ 0"],
    ["an unknown cut", { cut: { afterBytes: 1, how: "rst" } }, 'cut.how must be "reset" or "fin"'],
    [
      "a cut direction of both",
      { cut: { afterBytes: 1, direction: "both" } },
      'cut.direction must be "up", "down" or "either"',
    ],
    [
      "a misspelt field",
      { cut: { afterbytes: 1 } },
      "unknown field cut.afterbytes (use afterBytes, direction, how)",
    ],
    [
      "a stall without ms",
      { stall: { afterBytes: 1 } },
      "stall.ms must be a number ≥ 0 (Infinity: until resumeAll())",
    ],
    ["a negative stall", { stall: { ms: -5 } }, "stall.ms must be a number ≥ 0"],
    ["an infinite delay", { delay: { ms: Infinity } }, "delay.ms must be a finite number ≥ 0"],
    [
      "a delay direction of either",
      { delay: { ms: 1, direction: "either" } },
      'delay.direction must be "up", "down" or "both"',
    ],
    [
      "a zero throttle",
      { throttle: { bytesPerSecond: 0 } },
      "throttle.bytesPerSecond must be a finite number > 0",
    ],
    ["a fault that is not an object", { delay: 5 }, "delay must be an object"],
  ])("throws a TypeError for %s", (_, plan, problem) => {
    expect(() => validateFaultPlan(plan as FaultPlan)).toThrow(TypeError);
    expect(() => validateFaultPlan(plan as FaultPlan)).toThrow(`: ${problem}`);
  });

  it("names the plan, showing Infinity and bigints as written", () => {
    expect(() => validateFaultPlan({ stall: { ms: Infinity, afterBytes: 1n as unknown as number } })).toThrow(
      'invalid fault plan {"stall":{"ms":"Infinity","afterBytes":"1"}}: stall.afterBytes must be an integer ≥ 0',
    );
  });

  it("accepts every fault together (but refuse) and returns a frozen copy", () => {
    const plan: FaultPlan = {
      cut: { afterBytes: 10, direction: "down", how: "fin" },
      stall: { ms: Infinity, afterBytes: 5, direction: "up" },
      delay: { ms: 0, direction: "both" },
      throttle: { bytesPerSecond: 0.5 },
    };
    const copy = validateFaultPlan(plan);
    expect(copy).toEqual(plan);
    expect(copy).not.toBe(plan);
    expect(Object.isFrozen(copy) && Object.isFrozen(copy.cut)).toBe(true);
    expect(validateFaultPlan({})).toEqual({});
    expect(validateFaultPlan({ refuse: true, cut: undefined })).toEqual({ refuse: true });
  });
});
