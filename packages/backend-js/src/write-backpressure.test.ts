import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";
import { createFaultProxy, createMockServer, type FaultProxy, type MockServer } from "@zerobus/mock-server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createBackend } from "./create-backend.js";
import { GrpcConnection } from "./grpc-connection.js";

const TABLE = "main.default.t";
let server: MockServer | undefined;
let proxy: FaultProxy | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await proxy?.close();
  await server?.close();
});

describe("grpc-js write backpressure", () => {
  it("stops handing requests to grpc-js while the server does not read, holds callers, and resumes on 'drain'", async () => {
    server = await createMockServer();
    // The backend talks to the server through a proxy, which stalls the connection once the stream is open:
    // the server then reads nothing, as a server that stopped reading.
    proxy = await createFaultProxy({ target: server.endpoint });
    const backend = new StreamRegistry(
      createBackend({
        endpoint: proxy.endpoint,
        allowInsecure: true,
        workspaceId: "1",
        logger: silentLogger,
      }),
    );
    const { token } = server.issueToken(TABLE);
    const stream = await backend.openStream(
      { tableName: TABLE },
      resolveStreamOptions({ validateRecords: false }, { hasDescriptor: false }),
      { getHeaders: () => ({ authorization: `Bearer ${token}` }) },
    );
    expect(proxy.stallAll(Infinity)).toBe(1);
    const write = vi.spyOn(GrpcConnection.prototype, "send");
    const pushedBack = () => write.mock.results.some((result) => result.value === false);
    const settle = (calls: Promise<bigint>[]) => {
      const state = { settled: 0 };
      for (const call of calls) void call.then(() => state.settled++);
      return state;
    };
    const pause = async (turns: number) => {
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    // One-MiB batches until socket buffers, the HTTP/2 window and grpc-js's queue are full.
    const record = (i: number) => `{"i":${i},"pad":"${"x".repeat(1024 * 1024)}"}`;
    const batches: string[][] = [];
    const accepted: Promise<bigint>[] = [];
    while (!pushedBack() && batches.length < 200) {
      batches.push([record(batches.length)]);
      accepted.push(stream.ingestRecords(batches.at(-1) as string[]));
      await pause(2);
    }
    expect(pushedBack()).toBe(true);
    const writtenWhenBlocked = write.mock.calls.length;
    // From now on callers feel the push-back: their calls are accepted (offsets assigned) but wait for
    // the drain, and nothing more is handed to grpc-js.
    const held: Promise<bigint>[] = [];
    for (let i = 0; i < 8; i++) {
      batches.push([record(batches.length)]);
      held.push(stream.ingestRecords(batches.at(-1) as string[]));
    }
    const heldState = settle(held);
    await pause(20);
    expect(stream.stats().recordsAccepted).toBe(batches.length);
    expect(heldState.settled).toBeLessThan(held.length);
    expect(write.mock.calls.length).toBe(writtenWhenBlocked);
    expect(stream.stats().recordsAcked).toBe(0);

    expect(proxy.resumeAll()).toBe(1);
    expect(await Promise.all([...accepted, ...held])).toEqual(batches.map((_, index) => BigInt(index)));
    await stream.flush();
    // The eight held batches (about 8 MiB) waited together: they leave coalesced, as one request.
    expect(write.mock.calls.length).toBe(writtenWhenBlocked + 1);
    server.table(TABLE).assertRecords(batches.flat());
    await stream.close();
    await backend.close();
  });
});
