import type { HeadersContext } from "@zerobus/core";
import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";
import { createMockServer, type MockServer } from "@zerobus/mock-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBackend } from "./create-backend.js";
import { VERSION } from "./version.js";

let server: MockServer;
let backend: StreamRegistry;
// A token the mock issued for every table: a stream opens only if the backend sent it as given.
let token: { getHeaders: () => Record<string, string> };

beforeEach(async () => {
  server = await createMockServer();
  const { token: issued } = server.issueToken();
  token = { getHeaders: () => ({ authorization: `Bearer ${issued}` }) };
  backend = new StreamRegistry(
    createBackend({
      endpoint: server.endpoint,
      allowInsecure: true,
      workspaceId: "1234",
      applicationName: "orders-loader/2.1",
      logger: silentLogger,
    }),
  );
});

afterEach(async () => {
  await backend.close();
  await server.close();
});

const jsonOptions = resolveStreamOptions({}, { hasDescriptor: false });

describe("backend-js against a real socket", () => {
  it("creates a stream, ingests single records and a batch, and closes after everything is acknowledged", async () => {
    const acks: bigint[] = [];
    const stream = await backend.openStream({ tableName: "main.default.t" }, jsonOptions, token, {
      events: { onAck: (offset) => acks.push(offset) },
    });
    expect(stream.streamId).toBe(server.table("main.default.t").connections[0]?.streamId);
    expect(stream.state).toBe("open");
    expect(await stream.ingestRecord('{"a":1}')).toBe(0n);
    expect(await stream.ingestRecords(['{"a":2}', '{"a":3}'])).toBe(1n);
    expect(await stream.ingestRecord('{"a":4}')).toBe(2n);
    await stream.flush();
    expect(stream.stats()).toMatchObject({ recordsAccepted: 4, recordsAcked: 4, recordsInFlight: 0 });
    expect(acks.at(-1)).toBe(2n);
    await stream.close();
    await stream.close();
    expect(stream.state).toBe("closed");
    const table = server.table("main.default.t");
    expect(table.connections[0]).toMatchObject({ table: "main.default.t", recordType: "json" });
    table.assertRecords(['{"a":1}', '{"a":2}', '{"a":3}', '{"a":4}']);
    await expect(stream.ingestRecord("{}")).rejects.toMatchObject({ code: "stream_closed" });
  });

  it("coalesces records ingested back to back into few requests with consecutive wire offsets", async () => {
    const stream = await backend.openStream({ tableName: "main.default.t" }, jsonOptions, token);
    const records = Array.from({ length: 5000 }, (_, i) => `{"i":${i}}`);
    for (const record of records) await stream.ingestRecord(record);
    await stream.close();
    const ingests = server.table("main.default.t").requests;
    expect(ingests.length).toBeLessThan(10);
    expect(ingests.map((request) => request.offset)).toEqual(ingests.map((_, index) => BigInt(index)));
    server.table("main.default.t").assertRecords(records);
  });

  it("sends the provider's headers, the SDK header and a user agent naming package, version, backend and app", async () => {
    const contexts: HeadersContext[] = [];
    const stream = await backend.openStream({ tableName: "main.default.t" }, jsonOptions, {
      getHeaders: (context) => {
        contexts.push(context);
        // Upper-case on purpose: gRPC metadata keys are lower-case on the wire.
        return { Authorization: token.getHeaders().authorization ?? "" };
      },
    });
    await stream.close();
    expect(contexts).toMatchObject([
      { reason: "create", tableName: "main.default.t", endpoint: server.endpoint, workspaceId: "1234" },
    ]);
    // The stream opened, so the server accepted the token; its recording redacts it.
    const metadata = server.table("main.default.t").connections[0]?.metadata;
    expect(metadata?.authorization).toBe("Bearer <redacted>");
    expect(metadata?.["x-databricks-zerobus-table-name"]).toBe("main.default.t");
    expect(metadata?.["x-zerobus-sdk"]).toBe(`zerobus-node/${VERSION}`);
    const agent = String(metadata?.["user-agent"]);
    expect(agent).toMatch(
      new RegExp(
        `^zerobus-node/${VERSION} \\(@zerobus/backend-js/${VERSION}; backend=js\\) orders-loader/2\\.1 grpc-node-js/`,
      ),
    );
  });

  it("shares one channel (one HTTP/2 connection) between the streams of a backend", async () => {
    const first = await backend.openStream({ tableName: "main.default.a" }, jsonOptions, token);
    const second = await backend.openStream({ tableName: "main.default.b" }, jsonOptions, token);
    await Promise.all([first.ingestRecord('{"t":"a"}'), second.ingestRecord('{"t":"b"}')]);
    await Promise.all([first.close(), second.close()]);
    expect(server.connections).toHaveLength(2);
    expect(server.connections[0]?.peer).toBe(server.connections[1]?.peer);
    server.table("main.default.b").assertRecords(['{"t":"b"}']);
  });

  it("sends a Proto stream's descriptor and bytes records", async () => {
    const descriptor = new Uint8Array([0x0a, 0x01, 0x4d]);
    const options = resolveStreamOptions({}, { hasDescriptor: true });
    const stream = await backend.openStream(
      { tableName: "c.s.t", descriptorProto: descriptor },
      options,
      token,
    );
    await stream.ingestRecord(new Uint8Array([8, 1]));
    await stream.close();
    const table = server.table("c.s.t");
    // The server decoded the descriptor it got: a message named "M".
    expect(table.connections[0]).toMatchObject({ recordType: "proto", descriptor: { name: "M" } });
    table.assertRecords([new Uint8Array([8, 1])]);
  });
});
