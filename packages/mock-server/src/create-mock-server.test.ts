import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer } from "./create-mock-server.js";
import type { MockServer } from "./mock-server.js";
import { GrpcStatusCode } from "./status.js";
import { openJsonStream, TestStream } from "./test-support/test-stream.js";

const TABLE = "main.default.events";
let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

describe("createMockServer", () => {
  it("answers a create with a stream id and acks each request", async () => {
    const stream = await openJsonStream(server, TABLE);
    stream.json(0n, '{"a":1}');
    stream.jsonBatch(1n, ['{"a":2}', '{"a":3}']);
    expect(await stream.acks(2)).toEqual([0n, 1n]);
    stream.end();
    expect((await stream.status).code).toBe(GrpcStatusCode.OK);
    stream.close();
    const table = server.table(TABLE);
    table.assertRecords(['{"a":1}', '{"a":2}', '{"a":3}']);
    expect(table.connections[0]?.end).toEqual({ by: "client", how: "half-closed" });
  });

  it("sends response headers before the client sends anything", async () => {
    const stream = new TestStream(server.address, server.headers(TABLE));
    await expect.poll(() => stream.headersReceived).toBe(true);
    stream.cancel();
    stream.close();
  });
});
