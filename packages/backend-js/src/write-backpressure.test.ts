import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Connection } from "./connection.js";
import { createBackend } from "./create-backend.js";
import type { FakeServer } from "./testing/fake-server.js";
import { startFakeServer } from "./testing/fake-server.js";
import { recordsOf } from "./testing/records.js";

let server: FakeServer | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
});

describe("grpc-js write backpressure", () => {
  it("stops handing requests to grpc-js while the server does not read, and sends the rest after 'drain'", async () => {
    server = await startFakeServer({ pauseAfterCreate: true });
    const backend = createBackend({
      endpoint: server.endpoint,
      allowInsecure: true,
      workspaceId: "1",
      logger: silentLogger,
    });
    const stream = await backend.openStream(
      { tableName: "main.default.t" },
      resolveStreamOptions({ validateRecords: false }, { hasDescriptor: false }),
      { getHeaders: () => ({}) },
    );
    const write = vi.spyOn(Connection.prototype, "write");
    // 48 one-MiB batches: far more than socket buffers and the HTTP/2 window can hold.
    const record = `{"pad":"${"x".repeat(1024 * 1024 - 11)}"}`;
    const batches = Array.from({ length: 48 }, (_, i) => [record.replace("pad", `p${i % 10}`)]);
    for (const batch of batches) await stream.ingestRecords(batch);
    // Let the connection write whatever it can while the server is not reading.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const writtenWhilePaused = write.mock.calls.length;
    expect(writtenWhilePaused).toBeGreaterThan(0);
    expect(writtenWhilePaused).toBeLessThan(batches.length);
    expect(write.mock.results.some((result) => result.value === false)).toBe(true);
    expect(stream.stats().recordsAcked).toBe(0);

    server.calls[0]?.resume();
    await stream.flush();
    expect(write.mock.calls.length).toBe(batches.length);
    expect(recordsOf(server.calls[0]?.requests ?? [])).toEqual(batches.flat());
    await stream.close();
    await backend.close();
  });
});
