import { describe, expect, it } from "vitest";
import type { AckPolicy } from "../script/ack-policy.js";
import { AckEngine } from "./ack-engine.js";

function engine(policy: AckPolicy) {
  const sent: bigint[] = [];
  return {
    sent,
    acks: new AckEngine(
      (upTo) => sent.push(upTo),
      () => policy,
    ),
  };
}

describe("AckEngine", () => {
  it("coalesced: one ack for the requests of one event-loop turn", async () => {
    const { sent, acks } = engine("coalesced");
    acks.onRequest(0n, 1);
    acks.onRequest(1n, 1);
    acks.onRequest(2n, 1);
    expect(sent).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([2n]);
    acks.onRequest(3n, 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([2n, 3n]);
  });

  it("never sends an ack lower than or equal to the last", () => {
    const { sent, acks } = engine("never");
    acks.ack(3n);
    acks.ack(2n);
    acks.ack(3n);
    acks.onRequest(4n, 1);
    acks.release();
    acks.release();
    expect(sent).toEqual([3n, 4n]);
  });

  it("stop cancels delayed acks", async () => {
    const { sent, acks } = engine({ delayMs: 10 });
    acks.onRequest(0n, 1);
    acks.stop();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toEqual([]);
  });
});
