import type { WireStream } from "@zerobus/core";
import { GrpcStatusCode } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import { expectRejection, isPendingAfter, jsonRecords } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";

/** Client-side checks (A.10) refuse one call and leave the stream healthy; cancellation per API.md. */
export function refusalAndCancellationScenarios(h: Harness, on: TagFilter): void {
  if (on("refusal"))
    describe("refusals", () => {
      const oversizeBatch = jsonRecords(40).map((record) => `${record}${" ".repeat(60)}`);
      const refusals: [string, (stream: WireStream) => Promise<unknown>][] = [
        ["bytes on a JSON stream", (s) => s.ingestRecord(new Uint8Array([1]))],
        ["invalid JSON", (s) => s.ingestRecord("{not json")],
        ["a JSON array", (s) => s.ingestRecord("[1,2]")],
        ["an oversize record", (s) => s.ingestRecord(JSON.stringify({ p: "x".repeat(2_000) }))],
        ["an oversize batch", (s) => s.ingestRecords(oversizeBatch)],
        ["an empty batch", (s) => s.ingestRecords([])],
        ["a mixed batch", (s) => s.ingestRecords(["{}", new Uint8Array([1])])],
      ];

      for (const [name, refused] of refusals) {
        it(`refuses ${name} with invalid_argument for that call only`, async () => {
          const table = h.table();
          const stream = await h.open(table, { options: { maxMessageBytes: 1_024 } });
          await expectRejection(refused(stream), { code: "invalid_argument", retryable: false });
          expect(stream.state).toBe("open");
          expect(stream.stats().recordsAccepted).toBe(0);
          const [record] = jsonRecords(1);
          expect(await stream.ingestRecord(record!)).toBe(0n);
          await stream.flush();
          h.server.table(table).assertRecords([record!]);
        });
      }

      it("accepts invalid JSON when validateRecords is off (the caller serialises)", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const s = await h.open(table, { options: { validateRecords: false } });
        expect(await s.ingestRecord('{"already":"serialised"}')).toBe(0n);
        expect(await s.ingestRecord("not json")).toBe(1n);
        expect(s.getUnackedRecords()).toEqual(['{"already":"serialised"}', "not json"]);
      });
    });

  if (on("cancellation"))
    describe("cancellation", () => {
      it("rejects an already-aborted ingest with cancelled and accepts nothing", async () => {
        const table = h.table();
        const s = await h.open(table);
        await expectRejection(s.ingestRecord("{}", { signal: AbortSignal.abort() }), {
          code: "cancelled",
          retryable: false,
        });
        await expectRejection(s.ingestRecords(["{}"], { signal: AbortSignal.abort() }), {
          code: "cancelled",
        });
        expect(s.stats().recordsAccepted).toBe(0);
        expect(await s.ingestRecord("{}")).toBe(0n);
      });

      it("cancels a wait without touching the record", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const s = await h.open(table);
        const offset = await s.ingestRecord("{}");
        const controller = new AbortController();
        const wait = s.waitForOffset(offset, { signal: controller.signal });
        expect(await isPendingAfter(wait, 50)).toBe(true);
        controller.abort();
        await expectRejection(wait, { code: "cancelled", retryable: false });
        await expectRejection(s.flush({ signal: AbortSignal.abort() }), { code: "cancelled" });
        h.server.releaseAcks(table);
        await s.waitForOffset(offset);
        expect(s.state).toBe("open");
      });

      it("cancels an ingest waiting for room; the record is not accepted", async () => {
        const table = h.table();
        h.server.setAckPolicy(table, "never");
        const s = await h.open(table, { options: { maxInflightRecords: 1 } });
        await s.ingestRecord('{"n":0}');
        const controller = new AbortController();
        const waiting = s.ingestRecord('{"n":1}', { signal: controller.signal });
        expect(await isPendingAfter(waiting, 50)).toBe(true);
        controller.abort();
        await expectRejection(waiting, { code: "cancelled" });
        h.server.setAckPolicy(table, "immediate");
        h.server.releaseAcks(table);
        expect(await s.ingestRecord('{"n":2}')).toBe(1n);
        await s.flush();
        h.server.table(table).assertRecords(['{"n":0}', '{"n":2}']);
      });

      it("abandons stream creation, retries included, when its signal fires", async () => {
        const table = h.table();
        h.server.script(
          table,
          Array.from({ length: 20 }, () => ({ failCreate: GrpcStatusCode.UNAVAILABLE })),
        );
        const controller = new AbortController();
        const opening = h.open(table, {
          signal: controller.signal,
          options: { recoveryBackoffMs: 200, recoveryRetries: 10 },
        });
        setTimeout(() => controller.abort(), 300);
        const started = performance.now();
        await expectRejection(opening, { code: "cancelled", retryable: false });
        expect(performance.now() - started).toBeLessThan(1_500);
        // An attempt already dialling when the signal fired may still reach the server just after the
        // rejection (the native core drops it asynchronously): count after it had time to land, then check
        // that no further attempt follows within two backoff periods.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const attempts = h.server.table(table).connections.length;
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(h.server.table(table).connections.length).toBe(attempts);
      });
    });
}
