import { createMockServer, GrpcStatusCode, type MockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeEvents } from "./write-events.js";

// The test: a server that knows the table's columns, as the workspace does.
const EVENTS = "main.app.events";
let server: MockServer;

beforeAll(async () => {
  server = await createMockServer({
    tables: {
      [EVENTS]: {
        columns: {
          device: "STRING NOT NULL",
          temperature: "DOUBLE",
          address: "STRUCT<street: STRING, zip: STRING NOT NULL>",
          tags: "ARRAY<STRING>",
        },
      },
    },
  });
});
afterAll(() => server.close());

it("writes a reading that fits the columns", async () => {
  const reading = { device: "d1", temperature: 21.5, address: { zip: "1010" }, tags: ["lab"] };
  await writeEvents(server.address, server.headers(EVENTS), EVENTS, [reading]);
  server.table(EVENTS).assertRecords([reading]);
});

it("is refused a misspelt column, named with its record", async () => {
  const readings = [{ device: "d1" }, { device: "d2", temprature: 22 }];
  await expect(writeEvents(server.address, server.headers(EVENTS), EVENTS, readings)).rejects.toMatchObject({
    code: GrpcStatusCode.INVALID_ARGUMENT,
    details: expect.stringContaining('record 0 of offset 1: unknown column "temprature"'),
  });
});

it("gets NOT_FOUND for a table nobody declared, until a test declares it", async () => {
  const CLICKS = "main.app.clicks";
  const write = () => writeEvents(server.address, server.headers(CLICKS), CLICKS, [{ page: "/" }]);
  await expect(write()).rejects.toMatchObject({ code: GrpcStatusCode.NOT_FOUND });
  server.declareTable(CLICKS, { columns: { page: "STRING NOT NULL" } });
  await write();
});
