import type { BackendConfig, HeadersContext, StreamEvents } from "@zerobus/core";
import { RecordType, resolveStreamOptions, silentLogger, ZerobusError } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer, GrpcStatusCode } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend, isNativeAvailable, nativeCapabilities, setNativeLogger, VERSION } from "./index.js";

let server: MockServer;
let tlsServer: MockServer;
const backends: StreamRegistry[] = [];
let tableCount = 0;

beforeAll(async () => {
  [server, tlsServer] = await Promise.all([createMockServer(), createMockServer({ tls: true })]);
});
afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.close()));
  await Promise.all([server.close(), tlsServer.close()]);
});

function backendFor(mock: MockServer, extra: Partial<BackendConfig> = {}): StreamRegistry {
  const backend = localStreams(createBackend, mock.endpoint, {
    ...(mock.ca === undefined ? {} : { tls: { ca: mock.ca } }),
    ...extra,
  });
  backends.push(backend);
  return backend;
}

function newTable(): string {
  return `main.native.t${tableCount++}`;
}

/** A provider that records every context and answers with a fresh token of the mock server. */
function recordingProvider(mock: MockServer, table: string) {
  const contexts: HeadersContext[] = [];
  return {
    contexts,
    provider: {
      getHeaders(context: HeadersContext) {
        contexts.push(context);
        return mock.headers(table);
      },
    },
  };
}

const jsonOptions = (overrides = {}) => resolveStreamOptions(overrides, { hasDescriptor: false });

describe("createBackend (native)", () => {
  it("loads the addon and declares the gaps of the core", () => {
    expect(isNativeAvailable()).toBe(true);
    const backend = createBackend({
      endpoint: server.endpoint,
      allowInsecure: true,
      workspaceId: "1234",
      logger: silentLogger,
    });
    expect(backend.name).toBe("native");
    expect(backend.capabilities).toBe(nativeCapabilities);
    expect(Object.keys(backend.capabilities).sort()).toEqual(["ackValidation", "keepalive"].sort());
  });

  it("refuses http:// without allowInsecure and endpoints with a path", () => {
    expect(() => backendFor(server, { allowInsecure: false })).toThrow(/allowInsecure/);
    expect(() => backendFor(server, { endpoint: `${server.endpoint}/x` })).toThrow(ZerobusError);
  });

  it("creates, ingests single records and a batch, receives acks and closes", async () => {
    const table = newTable();
    server.script(table, [{ create: { streamId: "stream-a" } }]);
    const { provider, contexts } = recordingProvider(server, table);
    const acks: bigint[] = [];
    const events: StreamEvents = { onAck: (offset) => acks.push(offset) };
    const stream = await backendFor(server).openStream({ tableName: table }, jsonOptions(), provider, {
      events,
    });
    expect(stream.streamId).toBe("stream-a");
    expect(stream.state).toBe("open");
    expect(await stream.ingestRecord('{"a":1}')).toBe(0n);
    expect(await stream.ingestRecord('{"a":2}')).toBe(1n);
    expect(await stream.ingestRecords(['{"b":1}', '{"b":2}'])).toBe(2n);
    await stream.flush();
    expect(acks.at(-1)).toBe(2n);
    // One onAck per server ack: never more calls than requests sent, never per record.
    expect(acks.length).toBeLessThanOrEqual(server.table(table).requests.length);
    expect(stream.stats()).toMatchObject({ recordsAccepted: 4, recordsAcked: 4, recordsInFlight: 0 });
    await stream.close();
    expect(stream.state).toBe("closed");
    await stream.close();
    server.table(table).assertRecords(['{"a":1}', '{"a":2}', '{"b":1}', '{"b":2}']);
    expect(contexts.map((c) => c.reason)).toEqual(["create"]);
    expect(contexts[0]).toMatchObject({ tableName: table, endpoint: server.endpoint, workspaceId: "1234" });
    const metadata = server.table(table).connections[0]?.metadata ?? {};
    expect(metadata["x-databricks-zerobus-table-name"]).toBe(table);
    expect(metadata["x-zerobus-sdk"]).toBe(`zerobus-node/${VERSION}`);
    expect(String(metadata["user-agent"])).toContain("backend=native");
  });

  it("sends a Proto stream's descriptor and records as bytes", async () => {
    const table = newTable();
    // DescriptorProto { name: "Row", field { name: "id", number: 1, type: INT64, label: OPTIONAL } }
    const descriptor = Uint8Array.from([
      0x0a, 0x03, 0x52, 0x6f, 0x77, 0x12, 0x0a, 0x0a, 0x02, 0x69, 0x64, 0x18, 0x01, 0x20, 0x01, 0x28, 0x03,
    ]);
    const options = resolveStreamOptions({}, { hasDescriptor: true });
    expect(options.recordType).toBe(RecordType.Proto);
    const stream = await backendFor(server).openStream(
      { tableName: table, descriptorProto: descriptor },
      options,
      recordingProvider(server, table).provider,
    );
    await stream.ingestRecord(Uint8Array.from([0x08, 0x07]));
    await stream.ingestRecords([Uint8Array.from([0x08, 0x08]), Uint8Array.from([0x08, 0x09])]);
    await stream.close();
    const records = server
      .table(table)
      .records.map((r) => (r.kind === "proto" ? Array.from(r.bytes) : r.json));
    expect(records).toEqual([
      [0x08, 0x07],
      [0x08, 0x08],
      [0x08, 0x09],
    ]);
  });

  it("connects over TLS with the CA of the mock server", async () => {
    const table = newTable();
    const stream = await backendFor(tlsServer, { allowInsecure: false }).openStream(
      { tableName: table },
      jsonOptions(),
      recordingProvider(tlsServer, table).provider,
    );
    await stream.ingestRecord('{"tls":true}');
    await stream.close();
    tlsServer.table(table).assertRecords(['{"tls":true}']);
  });

  it("rejects a refused creation with the server's code, not retryable", async () => {
    const table = newTable();
    server.script(table, [{ failCreate: { code: GrpcStatusCode.PERMISSION_DENIED, details: "no access" } }]);
    const error = await backendFor(server)
      .openStream(
        { tableName: table },
        jsonOptions({ recovery: false }),
        recordingProvider(server, table).provider,
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZerobusError);
    expect(error).toMatchObject({ code: "permission_denied", retryable: false, grpcCode: 7 });
    expect((error as ZerobusError).message).toContain("no access");
  });

  it("reports a headers provider failure as the provider's own error", async () => {
    const table = newTable();
    const failure = new ZerobusError("auth_failed", "credentials rejected by the token endpoint", {
      retryable: false,
    });
    const error = await backendFor(server)
      .openStream({ tableName: table }, jsonOptions(), {
        getHeaders() {
          throw failure;
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBe(failure);
  });

  it("recovers after a retryable failure: headers with reason recovery, records re-sent, stats and id updated", async () => {
    const table = newTable();
    server.setAckPolicy(table, "never");
    server.script(table, [
      { create: { streamId: "first" } },
      { fail: { code: GrpcStatusCode.UNAVAILABLE, details: "node restarting" }, after: { records: 2 } },
      { create: { streamId: "second" } },
    ]);
    const { provider, contexts } = recordingProvider(server, table);
    const states: string[] = [];
    const stream = await backendFor(server).openStream(
      { tableName: table },
      jsonOptions({ recoveryBackoffMs: 10 }),
      provider,
      { events: { onStateChange: (state) => states.push(state) } },
    );
    await stream.ingestRecord('{"n":1}');
    await stream.ingestRecord('{"n":2}');
    await server.table(table).waitForConnections(2);
    server.setAckPolicy(table, "immediate");
    server.releaseAcks(table);
    await stream.flush();
    expect(stream.streamId).toBe("second");
    expect(contexts.map((c) => c.reason)).toEqual(["create", "recovery"]);
    expect(stream.stats().recoveries).toBe(1);
    // Both records were in flight (acks withheld) when the connection failed.
    expect(stream.stats().recordsResent).toBeGreaterThanOrEqual(2);
    expect(states).toContain("recovering");
    expect(stream.state).toBe("open");
    await stream.close();
    expect(server.table(table).countOf('{"n":1}')).toBeGreaterThanOrEqual(1);
    server.table(table).assertDelivered(['{"n":1}', '{"n":2}']);
  });

  it("forwards the core's log events at or above the level only", async () => {
    const collect = () => {
      const lines: { level: string; message: string }[] = [];
      const push = (level: string) => (message: string) => lines.push({ level, message });
      return {
        lines,
        logger: { debug: push("debug"), info: push("info"), warn: push("warn"), error: push("error") },
      };
    };
    const open = async () => {
      const table = newTable();
      const stream = await backendFor(server).openStream(
        { tableName: table },
        jsonOptions(),
        recordingProvider(server, table).provider,
      );
      await stream.close();
    };
    const quiet = collect();
    const verbose = collect();
    try {
      setNativeLogger(quiet.logger, "error");
      await open();
      setNativeLogger(verbose.logger, "info");
      await open();
      await expect
        .poll(() => verbose.lines.some((l) => l.message.startsWith("Successfully created stream")))
        .toBe(true);
      expect(verbose.lines.every((l) => l.level !== "debug")).toBe(true);
      // Events of the first stream would have been queued before those of the second.
      expect(quiet.lines).toEqual([]);
    } finally {
      setNativeLogger(undefined);
    }
  });

  it("fails the stream on a non-retryable server error and keeps the unacked records", async () => {
    const table = newTable();
    server.setAckPolicy(table, "never");
    server.script(table, [
      { fail: { code: GrpcStatusCode.INVALID_ARGUMENT, details: "bad row" }, after: { records: 1 } },
    ]);
    const errors: ZerobusError[] = [];
    const stream = await backendFor(server).openStream(
      { tableName: table },
      jsonOptions(),
      recordingProvider(server, table).provider,
      { events: { onError: (e) => errors.push(e) } },
    );
    await stream.ingestRecord('{"bad":1}');
    const flushError = await stream.flush().catch((e: unknown) => e);
    expect(flushError).toMatchObject({ code: "invalid_argument", retryable: false, grpcCode: 3 });
    expect(stream.state).toBe("failed");
    expect(errors).toHaveLength(1);
    expect(stream.getUnackedRecords()).toEqual(['{"bad":1}']);
    await expect(stream.close()).rejects.toBe(flushError);
    await expect(stream.ingestRecord('{"x":1}')).rejects.toMatchObject({ code: "stream_closed" });
  });
});
