import { describe, expect, it } from "vitest";
import { AckLatency } from "./ack-latency.js";

describe("AckLatency", () => {
  it("settles every offset a cumulative ack covers, from its own acceptance time", () => {
    const latency = new AckLatency();
    latency.accepted(0n, 1000);
    latency.accepted(1n, 1010);
    latency.accepted(2n, 1020);
    latency.acked(1n, 1030); // offsets 0 and 1: 30 ms and 20 ms
    expect(latency.count).toBe(2);
    latency.acked(1n, 1500); // a repeated ack settles nothing again
    latency.acked(2n, 1060); // offset 2: 40 ms
    expect(latency.count).toBe(3);
    expect(latency.percentileMs(0)).toBeCloseTo(20, 1);
    expect(latency.percentileMs(50)).toBeCloseTo(30, 1);
    expect(latency.percentileMs(100)).toBeCloseTo(40, 1);
  });

  it("grows past its first buffer and ignores acks beyond what it saw accepted", () => {
    const latency = new AckLatency();
    for (let offset = 0; offset < 100_000; offset++) latency.accepted(BigInt(offset), offset);
    latency.acked(200_000n, 100_005);
    expect(latency.count).toBe(100_000);
    expect(latency.percentileMs(100)).toBeCloseTo(100_005, -2);
  });

  it("reports 0 before any measurement", () => {
    expect(new AckLatency().percentileMs(99)).toBe(0);
  });
});
