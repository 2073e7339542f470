import { describe, expect, it } from "vitest";
import { GrpcStatusCode } from "../status.js";
import { openJsonStream } from "../test-support/test-stream.js";
import { useMockServer } from "./index.js";

const server = useMockServer();
const TABLE = "main.app.counts";

describe("count matchers", () => {
  it("count accepted records (batches by record), accepted requests (a batch is one) and connections", async () => {
    const first = await openJsonStream(server, TABLE);
    first.jsonBatch(0n, ['{"n":1}', '{"n":2}', '{"n":3}']);
    first.json(1n, '{"n":4}');
    await first.acks(2);
    first.cancel();
    first.close();
    // A re-send of record 4 on a second stream: one more record and request, a duplicate.
    const second = await openJsonStream(server, TABLE);
    second.json(0n, '{"n":4}');
    await second.acks(1);
    second.cancel();
    second.close();
    const table = server.table(TABLE);
    expect(table).toHaveReceivedRecords(5);
    expect(table).toHaveReceivedRequests(3);
    expect(table).toHaveConnections(2);
    expect(table).not.toHaveReceivedRecords(4);
  });

  it("do not count a request the server cut before committing it", async () => {
    server.script(TABLE, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { requests: 2 } }]);
    const stream = await openJsonStream(server, TABLE);
    stream.json(0n, '{"n":1}');
    stream.json(1n, '{"n":2}');
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    stream.close();
    expect(server.table(TABLE)).toHaveReceivedRequests(1);
    expect(server.table(TABLE)).toHaveReceivedRecords(1);
  });

  it("fail in words with the two numbers to diff, and a failing .not shows no diff", async () => {
    const stream = await openJsonStream(server, TABLE);
    stream.jsonBatch(0n, ['{"n":1}', '{"n":2}']);
    await stream.acks(1);
    stream.cancel();
    stream.close();
    const table = server.table(TABLE);
    const cases = [
      [
        () => expect(table).toHaveReceivedRecords(3),
        "expected table main.app.counts to have received 3 records (duplicates included); it received 2",
        2,
        3,
      ],
      [
        () => expect(table).toHaveReceivedRequests(2),
        "expected table main.app.counts to have received 2 ingest requests (accepted; a batch is one); it received 1",
        1,
        2,
      ],
      [
        () => expect(table).toHaveConnections(0),
        "expected table main.app.counts to have 0 connections (streams whose create named it); it has 1",
        1,
        0,
      ],
      [
        () => expect(table).not.toHaveConnections(1),
        "expected table main.app.counts not to have 1 connection (streams whose create named it), but it does",
        undefined,
        undefined,
      ],
      [
        () => expect(table).not.toHaveReceivedRecords(2),
        "expected table main.app.counts not to have received 2 records (duplicates included), but it did",
        undefined,
        undefined,
      ],
    ] as const;
    for (const [assertion, message, actual, expected] of cases) {
      let error: (Error & { actual?: unknown; expected?: unknown }) | undefined;
      try {
        assertion();
      } catch (thrown) {
        error = thrown as Error & { actual?: unknown; expected?: unknown };
      }
      expect(error?.message).toBe(message);
      expect([error?.actual, error?.expected]).toEqual([actual, expected]);
    }
  });

  it("refuse a server where a table recording is expected", () => {
    expect(() => expect(server).toHaveConnections(1)).toThrow(/^toHaveConnections takes a table recording/);
  });
});
