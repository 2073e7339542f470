import { GrpcStatusCode } from "@zerobus/mock-server";
import { test } from "@zerobus/mock-server/vitest";
import { expect } from "vitest";
import { writeEvents } from "./write-events.js";

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
