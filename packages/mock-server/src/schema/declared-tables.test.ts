import { afterEach, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import type { MockServerOptions } from "../mock-server-options.js";
import { GrpcStatusCode } from "../status.js";
import { openJsonStream, TestStream } from "../test-support/test-stream.js";

const EVENTS = "main.app.events";
const servers: MockServer[] = [];

async function start(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await createMockServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Opens a stream on `table` and sends `create` (PROTO with `descriptor`); returns the stream. */
function createOn(server: MockServer, table: string, descriptor?: Uint8Array): TestStream {
  const stream = new TestStream(server.address, server.headers(table));
  stream.create(table, descriptor);
  return stream;
}

async function endOf(stream: TestStream) {
  const { code, details } = await stream.status;
  stream.close();
  return { code, details };
}

/** Sends JSON records one per request from offset 0 and returns how the stream ended (after a half-close). */
async function sendJson(server: MockServer, table: string, records: unknown[]) {
  const stream = await openJsonStream(server, table);
  for (const [offset, record] of records.entries()) stream.json(BigInt(offset), JSON.stringify(record));
  stream.end();
  return endOf(stream);
}

const eventsTable = { columns: { device: "STRING NOT NULL", temperature: "DOUBLE" } };

describe("undeclared tables", () => {
  it("are accepted by default, as before tables could be declared, even once one is declared", async () => {
    const server = await start();
    expect(await sendJson(server, "main.app.anything", [{ any: 1 }])).toMatchObject({
      code: GrpcStatusCode.OK,
    });
    server.declareTable(EVENTS, eventsTable);
    expect(await sendJson(server, "main.app.other", [{ any: 1 }])).toMatchObject({ code: GrpcStatusCode.OK });
    expect((await sendJson(server, EVENTS, [{ any: 1 }])).code).toBe(GrpcStatusCode.INVALID_ARGUMENT);
  });

  it("end the create with NOT_FOUND when tables are declared", async () => {
    const server = await start({ tables: { [EVENTS]: eventsTable } });
    expect(await endOf(createOn(server, "main.app.missing"))).toEqual({
      code: GrpcStatusCode.NOT_FOUND,
      details:
        'table main.app.missing not found: it was not declared to the mock server (declare it with the tables option or server.declareTable, or pass undeclaredTables: "accept")',
    });
    expect(server.table("main.app.missing").connections[0]?.streamId).toBeUndefined();
  });

  it("are refused after authentication and before the permission check", async () => {
    const server = await start({ undeclaredTables: "refuse" });
    const forged = new TestStream(server.address, {
      authorization: "Bearer forged",
      "x-databricks-zerobus-table-name": "main.app.missing",
    });
    forged.create("main.app.missing");
    expect((await endOf(forged)).code).toBe(GrpcStatusCode.UNAUTHENTICATED);
    const otherTable = new TestStream(server.address, {
      ...server.headers(EVENTS),
      "x-databricks-zerobus-table-name": "main.app.missing",
    });
    otherTable.create("main.app.missing");
    expect((await endOf(otherTable)).code).toBe(GrpcStatusCode.NOT_FOUND);
  });

  it("follow undeclaredTables when given: accepted beside declared tables", async () => {
    const server = await start({ tables: { [EVENTS]: eventsTable }, undeclaredTables: "accept" });
    expect((await sendJson(server, "main.app.other", [{ x: 1 }])).code).toBe(GrpcStatusCode.OK);
  });
});

describe("JSON records on a declared table", () => {
  it("are accepted and recorded when they fit", async () => {
    const server = await start({ tables: { [EVENTS]: eventsTable } });
    const records = [
      { device: "d1", temperature: 21.5 },
      { device: "d2" },
      { DEVICE: "d3", temperature: null },
    ];
    expect((await sendJson(server, EVENTS, records)).code).toBe(GrpcStatusCode.OK);
    expect(server.table(EVENTS).values).toEqual(records);
  });

  it("refuse a misspelt column, naming the record, its offset, the column and the table", async () => {
    const server = await start({ tables: { [EVENTS]: eventsTable } });
    const stream = await openJsonStream(server, EVENTS);
    for (let offset = 0n; offset < 3n; offset++) stream.json(offset, '{"device":"d"}');
    await stream.acks(3);
    stream.json(3n, '{"device":"d","temprature":20}');
    const details =
      'record 0 of offset 3: unknown column "temprature" of main.app.events (columns: device, temperature)';
    expect(await endOf(stream)).toEqual({ code: GrpcStatusCode.INVALID_ARGUMENT, details });
    const connection = server.table(EVENTS).connections[0]!;
    expect(connection.requests.at(-1)).toMatchObject({ offset: 3n, records: [], refused: { details } });
    expect(server.table(EVENTS).recordCount).toBe(3);
  });

  it("name the record's index in a batch", async () => {
    const server = await start({ tables: { [EVENTS]: eventsTable } });
    const stream = await openJsonStream(server, EVENTS);
    stream.jsonBatch(0n, ['{"device":"a"}', '{"device":"b","temperature":"hot"}']);
    expect(await endOf(stream)).toEqual({
      code: GrpcStatusCode.INVALID_ARGUMENT,
      details:
        'record 1 of offset 0: column "temperature" of main.app.events is DOUBLE, got a string ("hot")',
    });
  });

  it.each([
    [{ device: null }, 'column "device" of main.app.events is NOT NULL, got null'],
    [{ temperature: 1 }, 'column "device" of main.app.events is NOT NULL, got no value'],
    [{ device: { id: 1 } }, 'column "device" of main.app.events is STRING, got an object'],
    [{ device: 7 }, 'column "device" of main.app.events is STRING, got a number (7)'],
    [{ device: "d", temperature: [1] }, 'column "temperature" of main.app.events is DOUBLE, got an array'],
  ])("refuse %j", async (record, problem) => {
    const server = await start({ tables: { [EVENTS]: eventsTable } });
    expect(await sendJson(server, EVENTS, [record])).toEqual({
      code: GrpcStatusCode.INVALID_ARGUMENT,
      details: `record 0 of offset 0: ${problem}`,
    });
  });

  const TYPED = "main.app.typed";
  const typed = {
    columns: {
      big: "BIGINT",
      small: "TINYINT",
      flag: "BOOLEAN",
      price: "DECIMAL(5,2)",
      day: "DATE",
      at: "TIMESTAMP",
      ntz: "timestamp_ntz",
      blob: "BINARY",
      anything: "VARIANT",
      ratio: "FLOAT",
    },
  };

  it.each([
    { big: 9007199254740991 },
    { big: "9223372036854775807" },
    { big: "-42" },
    { small: -128 },
    { price: 123.45 },
    { price: "-999.999" },
    { day: "2024-02-29" },
    { day: 19000 },
    { at: 1700000000000000 },
    { at: "1700000000000000" },
    { at: "2024-05-01T12:30:00.123456Z" },
    { ntz: "2024-05-01 12:30:00" },
    { blob: "aGVsbG8=" },
    { blob: "aGVsbG8" },
    { anything: { nested: [1, "two", null] } },
    { ratio: "NaN" },
  ])("accept what JSON clients send: %j", async (record) => {
    const server = await start({ tables: { [TYPED]: typed } });
    expect((await sendJson(server, TYPED, [record])).code).toBe(GrpcStatusCode.OK);
  });

  it.each([
    [{ big: 1.5 }, "big", "is BIGINT (an integer or a string of digits), got a number (1.5)"],
    [{ big: "9223372036854775808" }, "big", 'is BIGINT (out of range), got a string ("9223372036854775808")'],
    [{ small: 128 }, "small", "is TINYINT (out of range), got a number (128)"],
    [{ flag: "true" }, "flag", 'is BOOLEAN, got a string ("true")'],
    [{ flag: 1 }, "flag", "is BOOLEAN, got a number (1)"],
    [{ price: 1234.5 }, "price", "is DECIMAL(5,2) (a number or numeric string), got a number (1234.5)"],
    [{ price: "12a" }, "price", 'is DECIMAL(5,2) (a number or numeric string), got a string ("12a")'],
    [
      { day: "2024-02-30" },
      "day",
      'is DATE (YYYY-MM-DD or days since 1970-01-01), got a string ("2024-02-30")',
    ],
    [
      { day: "yesterday" },
      "day",
      'is DATE (YYYY-MM-DD or days since 1970-01-01), got a string ("yesterday")',
    ],
    [
      { at: "noon" },
      "at",
      'is TIMESTAMP (microseconds since the epoch or an ISO-8601 string), got a string ("noon")',
    ],
    [{ blob: "not base64!" }, "blob", 'is BINARY (a base64 string), got a string ("not base64!")'],
    [{ blob: [1, 2] }, "blob", "is BINARY (a base64 string), got an array"],
  ])("refuse %j", async (record, column, what) => {
    const server = await start({ tables: { [TYPED]: typed } });
    expect((await sendJson(server, TYPED, [record])).details).toBe(
      `record 0 of offset 0: column "${column}" of ${TYPED} ${what}`,
    );
  });
});

describe("nested columns", () => {
  const PEOPLE = "main.app.people";
  const people = {
    columns: {
      name: "STRING",
      address: "struct<street:string, zip:string not null>",
      tags: "ARRAY<STRING>",
      scores: "MAP<STRING, INT>",
      visits: { type: "ARRAY<STRUCT<at: TIMESTAMP NOT NULL, pages: ARRAY<STRING>>>", nullable: false },
    },
  };

  it("accept nested values that fit, with null elements", async () => {
    const server = await start({ tables: { [PEOPLE]: people } });
    const record = {
      name: "Ada",
      address: { street: null, zip: "10115" },
      tags: ["a", null],
      scores: { math: 3, art: null },
      visits: [{ at: 1, pages: ["/"] }],
    };
    expect((await sendJson(server, PEOPLE, [record])).code).toBe(GrpcStatusCode.OK);
  });

  it.each([
    [
      { visits: [], address: { street: "x" } },
      'column "address.zip" of main.app.people is NOT NULL, got no value',
    ],
    [
      { visits: [], address: { zp: "1" } },
      'unknown column "address.zp" of main.app.people (fields of address: street, zip)',
    ],
    [{ visits: [], tags: ["a", 2] }, 'column "tags[1]" of main.app.people is STRING, got a number (2)'],
    [{ visits: [], tags: "a" }, 'column "tags" of main.app.people is ARRAY<STRING>, got a string ("a")'],
    [
      { visits: [], scores: { math: "x" } },
      'column "scores["math"]" of main.app.people is INT (an integer or a string of digits), got a string ("x")',
    ],
    [
      { visits: [{ at: 1, pages: ["/", {}] }] },
      'column "visits[0].pages[1]" of main.app.people is STRING, got an object',
    ],
    [{ visits: [{ pages: [] }] }, 'column "visits[0].at" of main.app.people is NOT NULL, got no value'],
    [{ name: "x" }, 'column "visits" of main.app.people is NOT NULL, got no value'],
  ])("refuse %j with the path of the value", async (record, problem) => {
    const server = await start({ tables: { [PEOPLE]: people } });
    expect((await sendJson(server, PEOPLE, [record])).details).toBe(`record 0 of offset 0: ${problem}`);
  });
});
