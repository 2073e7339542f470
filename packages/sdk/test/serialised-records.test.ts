import { silentLogger } from "@zerobus/core";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterAll, afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { ZerobusSdk } from "../src/index.js";

/**
 * JSON text the SDK serialised from an object is known to be a JSON object: the stream does not parse it
 * again (`validateRecords` checks text a caller gave, PROTOCOL.md A.10), on either backend. The checks run
 * synchronously inside each ingest call, so `JSON.parse` is counted only while a call runs: the mock server
 * in this process may parse records too, later, on its own I/O callbacks.
 */
let server: MockServer;
let tables = 0;
const nextTable = () => `main.serialised.t${++tables}`;
const sdks: ZerobusSdk[] = [];
let parse: MockInstance<typeof JSON.parse>;

beforeAll(async () => {
  server = await createMockServer();
});
afterEach(() => {
  parse?.mockRestore();
});
afterAll(async () => {
  await Promise.all(sdks.map((sdk) => sdk.close()));
  await server.close();
});

async function builtBackends(): Promise<("js" | "native")[]> {
  const native = await import("@zerobus/backend-native").catch(() => undefined);
  return native?.isNativeAvailable() ? ["js", "native"] : ["js"];
}

async function openStream(backend: "js" | "native") {
  const sdk = new ZerobusSdk(server.endpoint, undefined, {
    backend,
    allowInsecure: true,
    workspaceId: "1234",
    logger: silentLogger,
  });
  sdks.push(sdk);
  const table = nextTable();
  const stream = await sdk.createStreamWithHeadersProvider(table, {
    getHeaders: () => server.headers(table),
  });
  return { stream, table };
}

/** How many times `JSON.parse` ran during `call` (its synchronous part: where the stream checks records). */
function parsesDuring<T>(call: () => T): { result: T; parses: number } {
  parse = vi.spyOn(JSON, "parse");
  try {
    const result = call();
    return { result, parses: parse.mock.calls.length };
  } finally {
    parse.mockRestore();
  }
}

describe.each(await builtBackends())("JSON records on the %s backend", (backend) => {
  it("does not parse again the JSON text it serialised from objects", async () => {
    const { stream, table } = await openStream(backend);
    const single = parsesDuring(() => stream.ingestRecord({ a: 1, text: "é" }));
    const batch = parsesDuring(() => stream.ingestRecords([{ b: 2 }, { c: [3] }]));
    const withSignal = parsesDuring(() =>
      stream.ingestRecord({ d: 4 }, { signal: new AbortController().signal }),
    );
    expect([single.parses, batch.parses, withSignal.parses]).toEqual([0, 0, 0]);
    expect(await Promise.all([single.result, batch.result, withSignal.result])).toEqual([0n, 1n, 2n]);
    await stream.close();
    server.table(table).assertRecords(['{"a":1,"text":"é"}', '{"b":2}', '{"c":[3]}', '{"d":4}']);
  });

  it("still parses the text a caller gives, alone or among objects", async () => {
    const { stream, table } = await openStream(backend);
    const text = parsesDuring(() => stream.ingestRecord('{"a":1}'));
    expect(text.parses).toBe(1);
    const mixed = parsesDuring(() => stream.ingestRecords([{ b: 2 }, '{"c":3}']));
    expect(mixed.parses).toBeGreaterThanOrEqual(1);
    expect(await Promise.all([text.result, mixed.result])).toEqual([0n, 1n]);
    await expect(stream.ingestRecord("[1]")).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringMatching(/must be a JSON object; got an array$/),
    });
    await expect(stream.ingestRecords([{ d: 4 }, "{"])).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringMatching(/record 1 of the batch is not valid JSON$/),
    });
    // The flag is the SDK's alone: a caller passing it along with text changes nothing.
    const sneaked = { serialisedFromObjects: true } as never;
    await expect(stream.ingestRecord("[2]", sneaked)).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(stream.ingestRecords(["[3]"], sneaked)).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await stream.close();
    server.table(table).assertRecords(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
