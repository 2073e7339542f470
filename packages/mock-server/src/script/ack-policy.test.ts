import { describe, expect, it } from "vitest";
import { type AckPolicy, validateAckPolicy } from "./ack-policy.js";

describe("validateAckPolicy", () => {
  it.each<AckPolicy>([
    "immediate",
    "coalesced",
    "never",
    { delayMs: 0 },
    { everyRecords: 1 },
    { coalesceMs: 5 },
  ])("accepts %j", (policy) => expect(validateAckPolicy(policy)).toBe(policy));

  it.each([
    ["sometimes"],
    [{ everyRecords: 0 }],
    [{ delayMs: -1 }],
    [{ delayMs: 1, everyRecords: 2 }],
    [null],
  ])("refuses %j", (policy) =>
    expect(() => validateAckPolicy(policy as AckPolicy)).toThrow("invalid ack policy"),
  );
});
