// The fixture's life in one file: the same server in every test, reset before each, closed after the file.
// mock-server-test.test.ts runs this file in a child vitest with ZEROBUS_FIXTURE_REPORT set and reads the
// report; in the ordinary run the file checks what it can from inside.
import { appendFileSync } from "node:fs";
import { connect } from "node:net";
import { expect } from "vitest";
import type { MockServer } from "../mock-server.js";
import { openJsonStream } from "../test-support/test-stream.js";
import { test } from "./index.js";

const TABLE = "main.fixture.lifecycle";
const reportFile = process.env.ZEROBUS_FIXTURE_REPORT;
const seen: MockServer[] = [];

function report(line: object): void {
  if (reportFile) appendFileSync(reportFile, `${JSON.stringify(line)}\n`);
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

// vitest tears a worker-scoped fixture down after the file's fixtures, before the worker (and the server
// with it) goes away: the one moment to see whether the fixture closed the server itself.
const lifecycleTest = test.extend<{ afterTheFile: undefined }>({
  afterTheFile: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
    async ({}, use) => {
      await use(undefined);
      const server = seen[0];
      if (server === undefined) return;
      const tokenPort = Number(new URL(server.tokenUrl).port);
      report({ after: "file", grpc: await accepts(server.port), token: await accepts(tokenPort) });
    },
    { scope: "worker", auto: true },
  ],
});

lifecycleTest("serves the first test", async ({ mockServer }) => {
  seen.push(mockServer);
  report({ test: "first", port: mockServer.port });
  expect(await accepts(mockServer.port)).toBe(true);
  const stream = await openJsonStream(mockServer, TABLE);
  stream.json(0n, '{"n":1}');
  await stream.acks(1);
  stream.cancel();
  stream.close();
  expect(mockServer.table(TABLE)).toHaveDelivered([{ n: 1 }]);
});

lifecycleTest("a test that does not ask for the server", () => {
  expect(seen).toHaveLength(1);
});

lifecycleTest("serves the next test from the same server, reset", async ({ mockServer }) => {
  seen.push(mockServer);
  report({ test: "next", port: mockServer.port });
  expect(seen[1]).toBe(seen[0]);
  expect(mockServer.tables.size).toBe(0);
  expect(mockServer.table(TABLE)).toHaveConnections(0);
  const stream = await openJsonStream(mockServer, TABLE);
  stream.json(0n, '{"n":2}');
  await stream.acks(1);
  stream.cancel();
  stream.close();
  expect(mockServer.table(TABLE)).toHaveDeliveredExactly([{ n: 2 }]);
});
