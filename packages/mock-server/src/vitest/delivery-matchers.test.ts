import { describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { encodeRow, rowDescriptorBytes } from "../test-support/descriptors.js";
import { openJsonStream, TestStream } from "../test-support/test-stream.js";
import { useMockServer } from "./index.js";

const server = useMockServer();
const TABLE = "main.app.events";

/** Sends JSON records on one stream, one request each at offsets 0…, and waits for every ack. */
async function send(target: MockServer, records: string[], table = TABLE): Promise<void> {
  const stream = await openJsonStream(target, table);
  for (const [offset, record] of records.entries()) stream.json(BigInt(offset), record);
  await stream.acks(records.length);
  stream.end();
  await stream.status;
  stream.close();
}

/** The error an assertion throws (failing the test when it passes instead). */
function failureOf(assertion: () => void): Error & { actual?: unknown; expected?: unknown } {
  try {
    assertion();
  } catch (error) {
    return error as Error & { actual?: unknown; expected?: unknown };
  }
  throw new Error("the assertion passed");
}

/** vitest prints the diff of `actual` and `expected`; a message with its own would print two. */
function expectNoDiffIn(message: string): void {
  expect(message).not.toMatch(/Expected|Received|^[-+] /m);
  expect(message).not.toContain("\n");
}

describe("toHaveDelivered", () => {
  it("passes at least once in order, re-sent duplicates included, as texts or as values", async () => {
    await send(server, ['{"id":1}', '{"id":2}']);
    // The client re-sends record 2 on a new stream (its ack was lost, say), then sends record 3.
    await send(server, ['{"id":2}', '{"id":3}']);
    const table = server.table(TABLE);
    expect(table).toHaveDelivered(['{"id":1}', '{"id":2}', '{"id":3}']);
    expect(table).toHaveDelivered([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(table).toHaveDelivered([{ id: 1 }, { id: expect.any(Number) }, '{"id":3}']);
  });

  it("fails naming the table and the counts, with the first arrivals and the expected records to diff", async () => {
    await send(server, ['{"id":1}', '{"id":2}', '{"id":1}', '{"id":2}']);
    const error = failureOf(() =>
      expect(server.table(TABLE)).toHaveDelivered(['{"id":1}', '{"id":2}', '{"id":3}']),
    );
    expect(error.message).toBe(
      "expected table main.app.events to have delivered 3 distinct records in order; received 2 distinct of 4; first difference at index 2: missing",
    );
    expect(error.actual).toEqual(['{"id":1}', '{"id":2}']);
    expect(error.expected).toEqual(['{"id":1}', '{"id":2}', '{"id":3}']);
    expectNoDiffIn(error.message);
  });

  it("fails when first arrivals are out of order or something else arrived", async () => {
    await send(server, ['{"id":2}', '{"id":1}', '{"id":9}']);
    const table = server.table(TABLE);
    expect(() => expect(table).toHaveDelivered([{ id: 1 }, { id: 2 }, { id: 9 }])).toThrow(
      /received 3 distinct of 3; first difference at index 0: a different record$/,
    );
    const extra = failureOf(() => expect(table).toHaveDelivered([{ id: 2 }, { id: 1 }]));
    expect(extra.message).toMatch(/first difference at index 2: an unexpected record$/);
    expect(extra.actual).toEqual([{ id: 2 }, { id: 1 }, { id: 9 }]);
  });

  it("reads well with .not, and a failing .not shows no diff", async () => {
    await send(server, ['{"id":1}', '{"id":1}']);
    const table = server.table(TABLE);
    expect(table).not.toHaveDelivered([{ id: 2 }]);
    const error = failureOf(() => expect(table).not.toHaveDelivered([{ id: 1 }]));
    expect(error.message).toBe(
      "expected table main.app.events not to have delivered 1 distinct record in order, but it did (2 arrivals, 1 duplicate)",
    );
    expect([error.actual, error.expected]).toEqual([undefined, undefined]);
  });

  it("compares proto records by bytes or by their proto JSON", async () => {
    const stream = new TestStream(server.address, server.headers(TABLE));
    stream.create(TABLE, rowDescriptorBytes());
    await stream.next();
    const bytes = encodeRow({ id: 1n, name: "a" });
    stream.proto(0n, bytes);
    await stream.acks(1);
    stream.cancel();
    stream.close();
    const table = server.table(TABLE);
    expect(table).toHaveDelivered([bytes]);
    expect(table).toHaveDelivered([{ id: "1", name: "a" }]);
    const error = failureOf(() => expect(table).toHaveDelivered([encodeRow({ id: 2n })]));
    expect(error.actual).toEqual([Buffer.from(bytes).toString("hex")]);
    expect(error.expected).toEqual([Buffer.from(encodeRow({ id: 2n })).toString("hex")]);
  });

  it("says when the server kept no records to compare", async () => {
    await using light = await createMockServer({ keepRecords: false });
    await send(light, ['{"id":1}']);
    expect(() => expect(light.table(TABLE)).toHaveDelivered(['{"id":1}'])).toThrow(
      "received 0 distinct of 0 (the server counted 1 record but kept none: it runs with keepRecords: false)",
    );
  });

  it("refuses what is not a table recording, saying what to pass", () => {
    expect(() => expect(server).toHaveDelivered([])).toThrow(
      /^toHaveDelivered takes a table recording, as in expect\(server\.table\("main\.app\.events"\)\)\.toHaveDelivered\(…\); received an object with keys/,
    );
    expect(() => expect(undefined).toHaveDelivered([])).toThrow(TypeError);
  });
});

describe("toHaveDeliveredExactly", () => {
  it("passes when each record arrived once, in order, and nothing else", async () => {
    await send(server, ['{"id":1}', '{"id":2}']);
    expect(server.table(TABLE)).toHaveDeliveredExactly(['{"id":1}', '{"id":2}']);
    expect(server.table(TABLE)).toHaveDeliveredExactly([{ id: 1 }, { id: 2 }]);
  });

  it("fails on a duplicate that toHaveDelivered accepts", async () => {
    await send(server, ['{"id":1}', '{"id":2}']);
    await send(server, ['{"id":2}']);
    const table = server.table(TABLE);
    expect(table).toHaveDelivered([{ id: 1 }, { id: 2 }]);
    const error = failureOf(() => expect(table).toHaveDeliveredExactly([{ id: 1 }, { id: 2 }]));
    expect(error.message).toBe(
      "expected table main.app.events to have delivered exactly 2 records, each once, in order; received 3 records; first difference at index 2: an unexpected record",
    );
    expect(error.actual).toEqual([{ id: 1 }, { id: 2 }, { id: 2 }]);
    expect(error.expected).toEqual([{ id: 1 }, { id: 2 }]);
    expectNoDiffIn(error.message);
    expect(table).not.toHaveDeliveredExactly([{ id: 1 }, { id: 2 }]);
    expect(() => expect(table).not.toHaveDeliveredExactly([{ id: 1 }, { id: 2 }, { id: 2 }])).toThrow(
      "expected table main.app.events not to have delivered exactly 3 records, each once, in order, but it did",
    );
  });
});
