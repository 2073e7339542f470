import { createMockServer, GrpcStatusCode, type MockServer } from "@zerobus/mock-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeEvents } from "./write-events.js";

// The test: a real server on a loopback port, a script, and assertions on what it received.
const TABLE = "main.web.clicks";
let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

it("writes every event once", async () => {
  await writeEvents(server.address, server.headers(TABLE), TABLE, [{ page: "/" }, { page: "/about" }]);
  server.table(TABLE).assertRecords(['{"page":"/"}', '{"page":"/about"}']);
});

it("reports a server failure instead of hanging", async () => {
  server.script(TABLE, [
    { fail: { code: GrpcStatusCode.UNAVAILABLE, details: "maintenance" }, after: { records: 1 } },
  ]);
  await expect(
    writeEvents(server.address, server.headers(TABLE), TABLE, [{ page: "/x" }, { page: "/y" }]),
  ).rejects.toMatchObject({
    code: GrpcStatusCode.UNAVAILABLE,
    details: "maintenance",
  });
  expect(server.table(TABLE).connections.at(-1)?.end).toEqual({
    by: "server",
    code: GrpcStatusCode.UNAVAILABLE,
    details: "maintenance",
  });
});
