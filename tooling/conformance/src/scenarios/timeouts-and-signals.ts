import { describe, expect, it } from "vitest";
import { expectRejection, jsonRecords } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Sends a close signal of `serverSeconds` after one unacknowledged record and measures how long the stream
 * takes to reconnect with `streamPausedMaxWaitTimeMs: clientMaxMs`; then lets everything be acknowledged.
 */
async function msUntilReconnectAfterSignal(
  h: Harness,
  { serverSeconds, clientMaxMs }: { serverSeconds: number; clientMaxMs: number },
): Promise<number> {
  const table = h.table();
  h.server.script(table, [
    { ack: "never" },
    { closeSignal: { seconds: serverSeconds, thenEnd: false }, after: { records: 1 } },
  ]);
  const stream = await h.open(table, { options: { streamPausedMaxWaitTimeMs: clientMaxMs } });
  const started = performance.now();
  await stream.ingestRecord(jsonRecords(1)[0]!);
  await h.server.table(table).waitForConnections(2, { timeoutMs: 8_000 });
  const elapsed = performance.now() - started;
  h.server.setAckPolicy(table, "immediate");
  h.server.releaseAcks(table);
  await stream.flush();
  expect(stream.state).toBe("open");
  return elapsed;
}

/** Lack-of-ack timeout (A.6) and the server's close signal (A.5). */
export function timeoutAndSignalScenarios(h: Harness, on: TagFilter): void {
  if (on("ack-timeout"))
    describe("ack timeout", () => {
      it("recovers when records in flight see no ack for serverLackOfAckTimeoutMs", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const stream = await h.open(table, { options: { serverLackOfAckTimeoutMs: 400 } });
        const records = jsonRecords(3);
        const started = performance.now();
        for (const record of records) await stream.ingestRecord(record);
        await h.server.table(table).waitForConnections(2, { timeoutMs: 5_000 });
        const elapsed = performance.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(380);
        expect(elapsed).toBeLessThan(3_000);
        h.server.setAckPolicy(table, "immediate");
        h.server.releaseAcks(table);
        await stream.flush();
        h.server.table(table).assertDelivered(records);
        expect(h.reasons(table)).toEqual(["create", "recovery"]);
      });

      it("fails with ack_timeout when recovery is off", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const stream = await h.open(table, { options: { serverLackOfAckTimeoutMs: 300, recovery: false } });
        await stream.ingestRecord(jsonRecords(1)[0]!);
        await expectRejection(stream.flush(), { code: "ack_timeout", retryable: true });
        expect(stream.state).toBe("failed");
      });

      it("never times out an idle stream", async () => {
        const table = h.table();
        const stream = await h.open(table, { options: { serverLackOfAckTimeoutMs: 200 } });
        await sleep(800);
        expect(stream.state).toBe("open");
        expect(h.server.table(table).connections).toHaveLength(1);
        await stream.waitForOffset(await stream.ingestRecord(jsonRecords(1)[0]!));
        await sleep(500);
        expect(h.server.table(table).connections).toHaveLength(1);
      });
    });

  if (on("close-signal"))
    describe("close signal", () => {
      it("pauses, drains and reconnects; nothing is sent on the old connection after the signal", async () => {
        const table = h.table();
        h.server.script(table, [{ closeSignal: { seconds: 2 }, after: { records: 2 } }]);
        const states: string[] = [];
        const stream = await h.open(table, { events: { onStateChange: (state) => states.push(state) } });
        const records = jsonRecords(6);
        await stream.waitForOffset(await stream.ingestRecord(records[0]!));
        await stream.waitForOffset(await stream.ingestRecord(records[1]!));
        // The signal follows the second record; everything ingested from now on belongs to the next connection.
        await until(() => states.includes("paused"), 5_000, "the stream to pause");
        for (const record of records.slice(2)) await stream.ingestRecord(record);
        await stream.flush();
        const [first, second] = h.server.table(table).connections;
        expect(first!.requests.flatMap((r) => r.records).length).toBe(2);
        expect(second).toBeDefined();
        h.server.table(table).assertRecords(records);
        expect(states).toContain("paused");
      });

      it("reconnects after streamPausedMaxWaitTimeMs when it is shorter than the server's duration", async () => {
        const elapsed = await msUntilReconnectAfterSignal(h, { serverSeconds: 6, clientMaxMs: 400 });
        expect(elapsed).toBeGreaterThanOrEqual(380);
        expect(elapsed).toBeLessThan(3_000);
      });

      it("waits for the server's duration when streamPausedMaxWaitTimeMs is longer", async () => {
        const elapsed = await msUntilReconnectAfterSignal(h, { serverSeconds: 1, clientMaxMs: 10_000 });
        expect(elapsed).toBeGreaterThanOrEqual(950);
        expect(elapsed).toBeLessThan(3_500);
      });
    });
}
