import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { Client, credentials, Metadata } from "@grpc/grpc-js";
import {
  createFaultProxy,
  createMockServer,
  type FaultProxy,
  GrpcStatusCode,
  type MockServer,
} from "@zerobus/mock-server";
import {
  EPHEMERAL_STREAM_PATH,
  type EphemeralStreamRequest,
  EphemeralStreamRequestSchema,
  EphemeralStreamResponseSchema,
  RecordType,
} from "@zerobus/proto";
import { afterEach, beforeEach, expect, it } from "vitest";

// The code under test: writes `count` JSON records on one stream, half-closes once the last one is acked,
// and resolves with the gRPC status code that ended the call.
function writeRecords(address: string, headers: Record<string, string>, table: string, count: number) {
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
  call.on("data", (response) => {
    if (response.payload.case === "createStreamResponse") {
      for (let offset = 0; offset < count; offset++) {
        const record = {
          case: "jsonRecord" as const,
          value: JSON.stringify({ offset, page: "/".repeat(80) }),
        };
        send({ payload: { case: "ingestRecord", value: { offsetId: BigInt(offset), record } } });
      }
    } else if (response.payload.value?.durabilityAckUpToOffset === BigInt(count - 1)) {
      call.end();
    }
  });
  call.on("error", () => {}); // the status says how the call ended
  send({ payload: { case: "createStream", value: { tableName: table, recordType: RecordType.JSON } } });
  return new Promise<GrpcStatusCode>((resolve) =>
    call.on("status", ({ code }) => {
      client.close();
      resolve(code);
    }),
  );
}

// The test: the client talks to the proxy, the proxy to a real server, and each new connection through the
// proxy takes the next plan.
const TABLE = "main.web.clicks";
let server: MockServer;
let proxy: FaultProxy;

beforeEach(async () => {
  server = await createMockServer();
  proxy = await createFaultProxy({ target: server.endpoint });
});
afterEach(async () => {
  await proxy.close();
  await server.close();
});

it("reports a connection reset mid-stream instead of hanging", async () => {
  // 50 kB up is well past the HTTP/2 handshake and the create: the reset hits records in flight.
  proxy.plan({ cut: { afterBytes: 50_000, direction: "up", how: "reset" } });
  const code = await writeRecords(proxy.address, server.headers(TABLE), TABLE, 1000);
  expect(code).toBe(GrpcStatusCode.UNAVAILABLE);
  expect(server.table(TABLE).recordCount).toBeLessThan(1000);
  expect(proxy.connections[0]?.events[1]).toMatchObject({ type: "cut", how: "reset", afterBytes: 50_000 });
});

it("rides out a 300 ms network stall", async () => {
  proxy.plan({ stall: { ms: 300, afterBytes: 50_000, direction: "up" } });
  const code = await writeRecords(proxy.address, server.headers(TABLE), TABLE, 1000);
  expect(code).toBe(GrpcStatusCode.OK);
  expect(server.table(TABLE).recordCount).toBe(1000);
  const events = proxy.connections[0]?.events.map((event) => event.type);
  expect(events?.slice(0, 3)).toEqual(["opened", "stalled", "resumed"]);
});
