import type { RecordedConnection, TableRecording } from "@zerobus/mock-server";
import { GrpcStatusCode } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import { expectRejection, jsonRecords } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";

/**
 * The progress guarantee (PROTOCOL.md A.15) and paced, bounded recovery (A.4), each against a server that
 * ends every connection once it received some amount of data, without acknowledging the request that
 * crossed the line (as a load balancer with a per-connection budget does).
 */
export function progressAndPacingScenarios(h: Harness, on: TagFilter): void {
  if (on("delivery"))
    describe("delivery under a per-connection budget", () => {
      it("delivers everything through a budget smaller than the first coalesced request", async () => {
        const table = h.table();
        const budget = 16 * 1024;
        h.server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { bytes: budget } }], {
          scope: "connection",
        });
        const stream = await h.open(table, { options: { recoveryBackoffMs: 5, recoveryRetries: 4 } });
        const records = jsonRecords(10_000);
        // Awaited one by one: they queue faster than they are written, so the first request takes them all.
        for (const record of records) await stream.ingestRecord(record);
        await stream.flush();
        const recording = h.server.table(table);
        const first = recording.connections[0]?.requests[0];
        expect(first?.bytes).toBeGreaterThan(budget);
        expect(first?.uncommitted).toBe(true);
        const { duplicates } = recording.assertDelivered(records);
        expectOrderedPerConnection(recording);
        const stats = stream.stats();
        expect(stats.recordsAcked).toBe(records.length);
        expect(stats.recordsResent).toBeGreaterThanOrEqual(duplicates);
        expect(stats.connections).toBe(recording.connections.length);
        expect(recording.connections.length).toBeGreaterThan(2);
        await stream.close();
      }, 60_000);

      it("on a server where no progress is possible: the first connection, then 1 + recoveryRetries paced attempts, then the last error", async () => {
        const table = h.table();
        h.server.script(table, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 1 } }], {
          scope: "connection",
        });
        const backoff = { recoveryBackoffMs: 200, recoveryBackoffMaxMs: 500, recoveryRetries: 3 };
        const stream = await h.open(table, { options: backoff });
        await stream.ingestRecord('{"n":0}');
        await expectRejection(stream.flush(), { code: "unavailable", retryable: true });
        expect(stream.state).toBe("failed");
        const connections = h.server.table(table).connections;
        expect(connections).toHaveLength(2 + backoff.recoveryRetries);
        expect(stream.stats().connections).toBe(connections.length);
        expect(stream.stats().recoveries).toBe(0);
        // Delays double from recoveryBackoffMs up to recoveryBackoffMaxMs, each at least 80 % (jitter) of
        // its nominal value; the first is skipped only after a connection that lived recoveryBackoffMs.
        const nominal = [200, 400, 500, 500];
        for (let i = 1; i < connections.length; i++) {
          const previous = connections[i - 1] as RecordedConnection;
          const gap = (connections[i] as RecordedConnection).openedAt - (previous.endedAt ?? 0);
          const lived = (previous.endedAt ?? 0) - previous.openedAt;
          if (i === 1 && lived >= backoff.recoveryBackoffMs) continue;
          // Timestamps are whole milliseconds on both ends of the gap.
          expect(gap, `delay before connection ${i + 1}`).toBeGreaterThanOrEqual(
            0.8 * (nominal[i - 1] as number) - 2,
          );
        }
        expect(stream.getUnackedRecords()).toEqual(['{"n":0}']);
      }, 30_000);
    });
}

/** Every connection received consecutive records (by their `n`) and contiguous wire offsets from 0. */
export function expectOrderedPerConnection(recording: TableRecording): void {
  for (const connection of recording.connections) {
    const offsets = connection.requests.map((request) => request.offset);
    expect(offsets, `wire offsets of connection ${connection.id}`).toEqual(offsets.map((_, i) => BigInt(i)));
    const ns = connection.requests.flatMap((request) =>
      request.records.map((record) =>
        record.kind === "json" ? (JSON.parse(record.json) as { n: number }).n : -1,
      ),
    );
    const gaps = ns.filter((n, i) => i > 0 && n !== (ns[i - 1] as number) + 1);
    expect(gaps, `records out of order on connection ${connection.id}`).toEqual([]);
  }
}
