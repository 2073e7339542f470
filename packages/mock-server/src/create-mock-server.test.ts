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

  it("encodes responses as the protocol's test vectors say", async () => {
    const table = "main.default.vectors";
    server.script(table, [
      { create: { streamId: "abc" } },
      { closeSignal: { seconds: 30, thenEnd: false }, after: { requests: 1 } },
    ]);
    const stream = new TestStream(server.address, server.headers(table));
    stream.create(table);
    const hex = async () => Buffer.from(await stream.nextRaw()).toString("hex");
    expect(await hex()).toBe("0a050a03616263");
    stream.json(0n, "{}");
    expect(await hex()).toBe("12020800");
    expect(await hex()).toBe("1a040a02081e");
    stream.cancel();
    stream.close();
  });

  it("keeps only counts with keepRecords false, logs stream events without tokens, and disposes", async () => {
    const lines: string[] = [];
    let token = "";
    {
      await using light = await createMockServer({ keepRecords: false, log: (line) => lines.push(line) });
      const headers = light.headers(TABLE);
      token = headers.authorization!;
      const stream = new TestStream(light.address, headers);
      stream.create(TABLE);
      await stream.next();
      stream.jsonBatch(0n, ["{}", "{}"]);
      await stream.acks(1);
      stream.end();
      await stream.status;
      stream.close();
      const table = light.table(TABLE);
      expect([table.recordCount, table.records.length, table.requests.length]).toEqual([2, 0, 0]);
      expect(table.connections[0]).toMatchObject({ recordCount: 2, requests: [] });
    }
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^#1 ${TABLE} created json stream [0-9a-f-]{36} for 127.0.0.1:\\d+$`)),
      `#1 ${TABLE} ended by the client (half-closed) after 2 record(s)`,
    ]);
    expect(lines.join("\n")).not.toContain(token.slice("Bearer ".length));
  });
});
