import { describe, expect, it } from "vitest";
import { achievedRate } from "./achieved-rate.js";

describe("achievedRate", () => {
  it("takes the server's ack delay out of an open-loop run's time", () => {
    expect(achievedRate({ count: 30_000, start: 100, lastAckAt: 100 + 3_000 + 150 }, "open", 150)).toBe(
      10_000,
    );
  });

  it("keeps the delay in the closed loop's round trips", () => {
    expect(achievedRate({ count: 10, start: 0, lastAckAt: 1_500 }, "closed", 150)).toBeCloseTo(6.67, 2);
  });

  it("has no rate without acks", () => {
    expect(achievedRate({ count: 0, start: 0, lastAckAt: undefined }, "open", 0)).toBeUndefined();
  });
});
