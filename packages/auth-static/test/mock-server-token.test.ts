/**
 * `fromToken(server.issueToken(table))` (issue 17), over a real socket: the object the mock server issues is
 * accepted as it is, and its token opens a stream (backend-js) that the server acknowledges.
 */
import { createBackend } from "@zerobus/backend-js";
import { resolveStreamOptions } from "@zerobus/core";
import { createMockServer, type MockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fromToken } from "../src/index.js";

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

it("streams with the token of server.issueToken(table)", async () => {
  const table = "main.static.issued";
  const streams = localStreams(createBackend, server.endpoint);
  try {
    const stream = await streams.openStream(
      { tableName: table },
      resolveStreamOptions({}, { hasDescriptor: false }),
      fromToken(server.issueToken(table)),
    );
    expect(await stream.ingestRecord('{"a":1}')).toBe(0n);
    await stream.close();
  } finally {
    await streams.close();
  }
  expect(server.table(table).values).toEqual([{ a: 1 }]);
  expect(server.table(table).connections[0]?.metadata.authorization).toBe("Bearer <redacted>");
});

it("refuses an object without a token string", () => {
  expect(() => fromToken({ token: "" })).toThrow(/an object given as the token must hold it/);
  expect(() => fromToken({} as never)).toThrow(/an object given as the token must hold it/);
});
