import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { Client, credentials, Metadata } from "@grpc/grpc-js";
import { createMockServer, GrpcStatusCode, type MockServer } from "@zerobus/mock-server";
import {
  EPHEMERAL_STREAM_PATH,
  type EphemeralStreamRequest,
  EphemeralStreamRequestSchema,
  EphemeralStreamResponseSchema,
  RecordType,
} from "@zerobus/proto";
import { afterAll, beforeAll, expect, it } from "vitest";

// The code under test: a minimal writer that sends JSON events on one stream and resolves once the
// server acknowledged all of them (or rejects with the status that ended the stream).
async function writeEvents(
  address: string,
  headers: Record<string, string>,
  table: string,
  events: object[],
) {
  const client = new Client(address, credentials.createInsecure());
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  const call = client.makeBidiStreamRequest(
    EPHEMERAL_STREAM_PATH,
    (request: EphemeralStreamRequest) => Buffer.from(toBinary(EphemeralStreamRequestSchema, request)),
    (bytes: Buffer) => fromBinary(EphemeralStreamResponseSchema, bytes),
    metadata,
  );
  const send = (request: MessageInitShape<typeof EphemeralStreamRequestSchema>) =>
    call.write(create(EphemeralStreamRequestSchema, request));
  try {
    await new Promise<void>((resolve, reject) => {
      call.on("data", (response) => {
        if (response.payload.case === "createStreamResponse") {
          for (const [offset, event] of events.entries()) {
            const record = { case: "jsonRecord" as const, value: JSON.stringify(event) };
            send({ payload: { case: "ingestRecord", value: { offsetId: BigInt(offset), record } } });
          }
        } else if (response.payload.value?.durabilityAckUpToOffset === BigInt(events.length - 1)) {
          resolve();
        }
      });
      call.on("error", reject);
      send({ payload: { case: "createStream", value: { tableName: table, recordType: RecordType.JSON } } });
    });
  } finally {
    call.end();
    client.close();
  }
}

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
