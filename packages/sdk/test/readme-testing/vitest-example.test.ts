import { GrpcStatusCode } from "@zerobus/mock-server";
import { mockServerTest } from "@zerobus/mock-server/vitest";
import { ZerobusSdk } from "@zerobus/sdk";
import { expect } from "vitest";

// One mock server for this file, reset before each test. The table is declared, so a record that does
// not fit its columns fails the stream as the real table would.
const TABLE = "main.app.clicks";
const test = mockServerTest({
  tables: { [TABLE]: { columns: { id: "BIGINT NOT NULL", page: "STRING" } } },
});

test("delivers every click at least once, in order, across a failure", async ({ mockServer }) => {
  // UNAVAILABLE on the request carrying the first record, before it is acknowledged: the SDK must
  // reconnect and re-send it.
  mockServer.script(TABLE, [{ fail: GrpcStatusCode.UNAVAILABLE, at: { records: 1 } }]);
  const sdk = new ZerobusSdk(mockServer.endpoint, mockServer.workspaceUrl, { allowInsecure: true });
  const { clientId, clientSecret } = mockServer.credentials;
  const stream = await sdk.createStream(TABLE, clientId, clientSecret, { recoveryBackoffMs: 10 });
  await stream.ingestRecord({ id: 1, page: "/" });
  await stream.ingestRecord({ id: 2, page: "/pricing" });
  await stream.close();
  await sdk.close();

  expect(mockServer.table(TABLE)).toHaveDelivered([
    { id: 1, page: "/" },
    { id: 2, page: "/pricing" },
  ]);
  expect(mockServer.table(TABLE)).toHaveConnections(2);
});

test("a misspelt column fails the stream", async ({ mockServer }) => {
  const sdk = new ZerobusSdk(mockServer.endpoint, mockServer.workspaceUrl, { allowInsecure: true });
  const { clientId, clientSecret } = mockServer.credentials;
  const stream = await sdk.createStream(TABLE, clientId, clientSecret);
  await expect(stream.ingestRecordAndWait({ id: 3, pgae: "/docs" })).rejects.toThrow(
    /unknown column "pgae" of main\.app\.clicks/,
  );
  expect(mockServer.table(TABLE)).toHaveEndedWith(GrpcStatusCode.INVALID_ARGUMENT);
  await sdk.close();
});
