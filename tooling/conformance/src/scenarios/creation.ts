import { GrpcStatusCode } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import { expectRejection } from "../expect-error.js";
import type { Harness, TagFilter } from "../harness.js";

/** The model SDK's creation scenarios. */
export function creationScenarios(h: Harness, on: TagFilter): void {
  if (on("creation"))
    describe("creation", () => {
      it("creates a stream and reports the server's stream id", async () => {
        const table = h.table();
        h.server.script(table, [{ create: { streamId: "conformance-stream-1" } }]);
        const stream = await h.open(table);
        expect(stream.streamId).toBe("conformance-stream-1");
        expect(stream.state).toBe("open");
        expect(stream.tableName).toBe(table);
        const [connection] = h.server.table(table).connections;
        expect(connection?.metadata.authorization).toMatch(/^Bearer /);
        expect(connection?.metadata["x-databricks-zerobus-table-name"]).toBe(table);
        expect(h.reasons(table)).toEqual(["create"]);
      });

      it("times out a creation the server answers too slowly", async () => {
        const table = h.table();
        h.server.script(table, [{ create: { delayMs: 2_000 } }]);
        const started = performance.now();
        await expectRejection(h.open(table, { options: { recovery: false, recoveryTimeoutMs: 300 } }), {
          code: "deadline_exceeded",
          retryable: true,
        });
        const elapsed = performance.now() - started;
        expect(elapsed).toBeGreaterThanOrEqual(290);
        expect(elapsed).toBeLessThan(1_500);
      });

      it("fails with UNAUTHENTICATED after exactly one forced refresh", async () => {
        const table = h.table();
        h.server.script(table, [
          { failCreate: GrpcStatusCode.UNAUTHENTICATED },
          { failCreate: GrpcStatusCode.UNAUTHENTICATED },
          { failCreate: GrpcStatusCode.UNAUTHENTICATED },
        ]);
        await expectRejection(h.open(table), { code: "unauthenticated", retryable: false, grpcCode: 16 });
        expect(h.reasons(table)).toEqual(["create", "unauthenticated"]);
        expect(h.server.table(table).connections).toHaveLength(2);
      });

      it("recovers from one UNAUTHENTICATED at creation with fresh credentials", async () => {
        const table = h.table();
        h.server.script(table, [{ failCreate: GrpcStatusCode.UNAUTHENTICATED }]);
        const stream = await h.open(table);
        expect(stream.state).toBe("open");
        expect(h.reasons(table)).toEqual(["create", "unauthenticated"]);
      });

      it("does not retry a retryable creation error when recovery is off", async () => {
        const table = h.table();
        h.server.script(table, [
          { failCreate: GrpcStatusCode.UNAVAILABLE },
          { failCreate: GrpcStatusCode.UNAVAILABLE },
        ]);
        const started = performance.now();
        await expectRejection(h.open(table, { options: { recovery: false } }), {
          code: "unavailable",
          retryable: true,
          grpcCode: 14,
        });
        expect(performance.now() - started).toBeLessThan(1_000);
        expect(h.server.table(table).connections).toHaveLength(1);
      });

      it("retries a retryable creation error with backoff when recovery is on", async () => {
        const table = h.table();
        h.server.script(table, [
          { failCreate: GrpcStatusCode.UNAVAILABLE },
          { failCreate: GrpcStatusCode.UNAVAILABLE },
        ]);
        const started = performance.now();
        const stream = await h.open(table, { options: { recoveryBackoffMs: 100, recoveryRetries: 4 } });
        // Two backoffs of 100 ms ± 20 %.
        expect(performance.now() - started).toBeGreaterThanOrEqual(150);
        expect(stream.state).toBe("open");
        expect(h.server.table(table).connections).toHaveLength(3);
      });

      it("gives up creation after 1 + recoveryRetries attempts", async () => {
        const table = h.table();
        h.server.script(
          table,
          Array.from({ length: 6 }, () => ({ failCreate: GrpcStatusCode.UNAVAILABLE })),
        );
        await expectRejection(h.open(table, { options: { recoveryRetries: 2 } }), {
          code: "unavailable",
          retryable: true,
        });
        expect(h.server.table(table).connections).toHaveLength(3);
      });

      it("fails at once on a non-retryable creation error", async () => {
        const table = h.table();
        h.server.script(table, [
          { failCreate: { code: GrpcStatusCode.NOT_FOUND, details: "table not found" } },
        ]);
        const error = await expectRejection(h.open(table), {
          code: "not_found",
          retryable: false,
          grpcCode: 5,
        });
        expect(error.message).toContain("table not found");
        expect(h.server.table(table).connections).toHaveLength(1);
      });
    });
}
