import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { Client, credentials, Metadata } from "@grpc/grpc-js";
import { GrpcStatusCode } from "@zerobus/mock-server";
import { test } from "@zerobus/mock-server/vitest";
import {
  EPHEMERAL_STREAM_PATH,
  type EphemeralStreamRequest,
  EphemeralStreamRequestSchema,
  EphemeralStreamResponseSchema,
  RecordType,
} from "@zerobus/proto";
import { expect } from "vitest";

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

// The tests: one server for the file, reset before each test.
const TABLE = "main.web.clicks";
const clicks = [{ page: "/" }, { page: "/about" }];

test("writes every click once, then closes its stream", async ({ mockServer }) => {
  await writeEvents(mockServer.address, mockServer.headers(TABLE), TABLE, clicks);
  const table = mockServer.table(TABLE);
  expect(table).toHaveDeliveredExactly(clicks);
  expect(table).toHaveReceivedRequests(2);
  await table.connections.at(-1)?.ended;
  expect(table).toHaveEndedWith({ by: "client", how: "half-closed" });
});

test("reports a failure the server scripted", async ({ mockServer }) => {
  expect(mockServer.table(TABLE)).toHaveConnections(0); // the previous test's stream is gone
  mockServer.script(TABLE, [{ fail: GrpcStatusCode.UNAVAILABLE, after: { records: 1 } }]);
  const written = writeEvents(mockServer.address, mockServer.headers(TABLE), TABLE, clicks);
  await expect(written).rejects.toMatchObject({ code: GrpcStatusCode.UNAVAILABLE });
  expect(mockServer.table(TABLE)).toHaveDelivered([{ page: "/" }]);
  expect(mockServer.table(TABLE)).toHaveEndedWith(GrpcStatusCode.UNAVAILABLE);
});
