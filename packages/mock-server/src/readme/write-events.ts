import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { Client, credentials, Metadata } from "@grpc/grpc-js";
import {
  EPHEMERAL_STREAM_PATH,
  type EphemeralStreamRequest,
  EphemeralStreamRequestSchema,
  EphemeralStreamResponseSchema,
  RecordType,
} from "@zerobus/proto";

// The code under test: a minimal writer that sends JSON events on one stream and resolves once the
// server acknowledged all of them (or rejects with the status that ended the stream).
export async function writeEvents(
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
