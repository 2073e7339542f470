import type { Backend, HeadersContext } from "@zerobus/core";
import { RecordType, resolveStreamOptions, silentLogger } from "@zerobus/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBackend } from "./create-backend.js";
import type { FakeServer } from "./testing/fake-server.js";
import { startFakeServer } from "./testing/fake-server.js";
import { recordsOf } from "./testing/records.js";
import { VERSION } from "./version.js";

let server: FakeServer;
let backend: Backend;

beforeEach(async () => {
  server = await startFakeServer();
  backend = createBackend({
    endpoint: server.endpoint,
    allowInsecure: true,
    workspaceId: "1234",
    applicationName: "orders-loader/2.1",
    logger: silentLogger,
  });
});

afterEach(async () => {
  await backend.close();
  await server.close();
});

const jsonOptions = resolveStreamOptions({}, { hasDescriptor: false });
const token = { getHeaders: () => ({ authorization: "Bearer t0ken" }) };

describe("backend-js against a real socket", () => {
  it("creates a stream, ingests single records and a batch, and closes after everything is acknowledged", async () => {
    const acks: bigint[] = [];
    const stream = await backend.openStream({ tableName: "main.default.t" }, jsonOptions, token, {
      events: { onAck: (offset) => acks.push(offset) },
    });
    expect(stream.streamId).toBe("stream-1");
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
    const [call] = server.calls;
    expect(call?.requests[0]?.payload).toMatchObject({
      case: "createStream",
      value: { tableName: "main.default.t", recordType: RecordType.Json },
    });
    expect(recordsOf(call?.requests ?? [])).toEqual(['{"a":1}', '{"a":2}', '{"a":3}', '{"a":4}']);
    await expect(stream.ingestRecord("{}")).rejects.toMatchObject({ code: "stream_closed" });
  });

  it("coalesces records ingested back to back into few requests with consecutive wire offsets", async () => {
    const stream = await backend.openStream({ tableName: "main.default.t" }, jsonOptions, token);
    const records = Array.from({ length: 5000 }, (_, i) => `{"i":${i}}`);
    for (const record of records) await stream.ingestRecord(record);
    await stream.close();
    const ingests = server.calls[0]?.requests.slice(1) ?? [];
    expect(ingests.length).toBeLessThan(10);
    expect(ingests.map((request) => (request.payload.value as { offsetId: bigint }).offsetId)).toEqual(
      ingests.map((_, index) => BigInt(index)),
    );
    expect(recordsOf(ingests)).toEqual(records);
  });

  it("sends the provider's headers, the SDK header and a user agent naming package, version, backend and app", async () => {
    const contexts: HeadersContext[] = [];
    const stream = await backend.openStream({ tableName: "main.default.t" }, jsonOptions, {
      getHeaders: (context) => {
        contexts.push(context);
        return { Authorization: "Bearer t0ken" };
      },
    });
    await stream.close();
    expect(contexts).toMatchObject([
      { reason: "create", tableName: "main.default.t", endpoint: server.endpoint, workspaceId: "1234" },
    ]);
    const metadata = server.calls[0]?.metadata;
    expect(metadata?.get("authorization")).toEqual(["Bearer t0ken"]);
    expect(metadata?.get("x-databricks-zerobus-table-name")).toEqual(["main.default.t"]);
    expect(metadata?.get("x-zerobus-sdk")).toEqual([`zerobus-node/${VERSION}`]);
    const agent = String(metadata?.get("user-agent")[0]);
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
    expect(server.calls).toHaveLength(2);
    expect(server.calls[0]?.peer).toBe(server.calls[1]?.peer);
    expect(recordsOf(server.calls[1]?.requests ?? [])).toEqual(['{"t":"b"}']);
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
    const requests = server.calls[0]?.requests ?? [];
    const created = requests[0]?.payload;
    expect(created?.case).toBe("createStream");
    const value = created?.value as { recordType: number; descriptorProto: Uint8Array };
    expect(value.recordType).toBe(RecordType.Proto);
    expect(Uint8Array.from(value.descriptorProto)).toEqual(descriptor);
    expect(recordsOf(requests)).toEqual([new Uint8Array([8, 1])]);
  });
});
