import type { CreateBackend } from "@zerobus/core";
import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZerobusSdk } from "../src/index.js";

/**
 * A record of the wrong kind is refused for that call only, with a message that says what was expected
 * and what came instead ("got undefined", never "got a undefined"), on both backends, whether it enters
 * through the SDK (its encoder) or straight through a backend (the engine's checks, PROTOCOL.md A.10).
 */
let server: MockServer;
let tables = 0;
const nextTable = () => `main.refusals.t${++tables}`;
const sdks: ZerobusSdk[] = [];
const backends: StreamRegistry[] = [];

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await Promise.all([...sdks.map((sdk) => sdk.close()), ...backends.map((backend) => backend.close())]);
  await server.close();
});

async function builtBackends(): Promise<[string, CreateBackend][]> {
  const js = await import("@zerobus/backend-js");
  const built: [string, CreateBackend][] = [["js", js.createBackend]];
  const native = await import("@zerobus/backend-native").catch(() => undefined);
  if (native?.isNativeAvailable()) built.push(["native", native.createBackend]);
  return built;
}

const backendsBuilt = await builtBackends();

describe.each(backendsBuilt)("records of the wrong kind on the %s backend", (name, createBackend) => {
  it("ingestRecord(undefined) on the SDK says a record must be a JSON object; got undefined", async () => {
    const sdk = new ZerobusSdk(server.endpoint, undefined, {
      backend: name as "js" | "native",
      allowInsecure: true,
      workspaceId: "1234",
      logger: silentLogger,
    });
    sdks.push(sdk);
    const table = nextTable();
    const stream = await sdk.createStreamWithHeadersProvider(table, {
      getHeaders: () => server.headers(table),
    });
    await expect(stream.ingestRecord(undefined as never)).rejects.toMatchObject({
      code: "invalid_argument",
      retryable: false,
      message:
        "[invalid_argument] a record must be a JSON object (as text or an object) on a JSON stream; got undefined",
    });
    await expect(stream.ingestRecords([{ a: 1 }, null] as never)).rejects.toMatchObject({
      message: expect.stringMatching(/^\[invalid_argument\] record 1 of the batch: .*; got null$/),
    });
    // Refused for that call only: the stream stays open.
    expect(await stream.ingestRecord({ a: 1 })).toBe(0n);
    await stream.close();
    server.table(table).assertRecords(['{"a":1}']);
  });

  it("ingestRecord(undefined) on the backend says a record must be a JSON string; got undefined", async () => {
    const backend = localStreams(createBackend, server.endpoint);
    backends.push(backend);
    const table = nextTable();
    const stream = await backend.openStream(
      { tableName: table },
      resolveStreamOptions({}, { hasDescriptor: false }),
      { getHeaders: () => server.headers(table) },
    );
    await expect(stream.ingestRecord(undefined as never)).rejects.toMatchObject({
      code: "invalid_argument",
      message: "[invalid_argument] a record must be a JSON string on a JSON stream; got undefined",
    });
    await expect(stream.ingestRecords(["{}", 7] as never)).rejects.toMatchObject({
      message:
        "[invalid_argument] record 1 of the batch must be a JSON string on a JSON stream; got a number",
    });
    expect(await stream.ingestRecord('{"b":2}')).toBe(0n);
    await stream.close();
    server.table(table).assertRecords(['{"b":2}']);
  });
});
