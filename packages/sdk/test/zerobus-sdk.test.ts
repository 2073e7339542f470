import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { create } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isZerobusError, RecordType, type ZerobusError, ZerobusSdk } from "../src/index.js";

let server: MockServer;
let sdk: ZerobusSdk;
let tableCounter = 0;
const nextTable = () => `main.sdk.t${++tableCounter}`;

beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  await sdk?.close();
  server.reset();
});
afterAll(async () => {
  await server.close();
});

function newSdk(options: ConstructorParameters<typeof ZerobusSdk>[2] = {}): ZerobusSdk {
  sdk = new ZerobusSdk(server.endpoint, server.workspaceUrl, {
    backend: "js",
    allowInsecure: true,
    workspaceId: "1234567890123456",
    ...options,
  });
  return sdk;
}

const fast = { recoveryBackoffMs: 20, flushTimeoutMs: 10_000 };

function rejection(fn: () => unknown): ZerobusError {
  try {
    fn();
  } catch (error) {
    expect(isZerobusError(error)).toBe(true);
    return error as ZerobusError;
  }
  throw new Error("expected a ZerobusError");
}

async function rejectionOf(promise: Promise<unknown>): Promise<ZerobusError> {
  try {
    await promise;
  } catch (error) {
    expect(isZerobusError(error)).toBe(true);
    return error as ZerobusError;
  }
  throw new Error("expected a rejection");
}

describe("ZerobusSdk constructor", () => {
  it("picks js when asked and says so synchronously", () => {
    expect(newSdk().backend).toBe("js");
    expect(sdk.capabilities).toEqual({});
  });

  it("refuses http:// without allowInsecure, naming the option", () => {
    const error = rejection(() => new ZerobusSdk(server.endpoint, undefined, { backend: "js" }));
    expect(error).toMatchObject({ code: "invalid_argument", retryable: false });
    expect(error.message).toContain("allowInsecure");
  });

  it.each([
    [{ backend: "rust" }, /backend must be/],
    [{ allowInsecure: "yes" }, /allowInsecure must be a boolean/],
    [{ keepaliveMs: -1 }, /keepaliveMs/],
    [{ logger: console.log }, /logger must be a logger object .* not a function/],
    [
      { logger: { info() {} } },
      /logger must have debug, info, warn and error methods .* no debug, warn, error/,
    ],
    [{ tls: { ca: 5 } }, /tls must be/],
  ])("refuses the option %o", (options, message) => {
    expect(() => new ZerobusSdk("https://1.zerobus.example.com", undefined, options as never)).toThrow(
      message,
    );
  });

  it("takes the backend from ZEROBUS_BACKEND", () => {
    const saved = process.env.ZEROBUS_BACKEND;
    process.env.ZEROBUS_BACKEND = "js";
    try {
      expect(new ZerobusSdk("https://1.zerobus.example.com").backend).toBe("js");
      process.env.ZEROBUS_BACKEND = "wasm";
      expect(() => new ZerobusSdk("https://1.zerobus.example.com")).toThrow(/ZEROBUS_BACKEND must be/);
    } finally {
      if (saved === undefined) delete process.env.ZEROBUS_BACKEND;
      else process.env.ZEROBUS_BACKEND = saved;
    }
  });

  it("falls back from auto to a working backend and records why", () => {
    const auto = new ZerobusSdk("https://1.zerobus.example.com", undefined, { backend: "auto" });
    expect(["js", "native"]).toContain(auto.backend);
    expect(auto.backendReason.length).toBeGreaterThan(0);
  });
});

describe("createStream (OAuth against the mock's token endpoint)", () => {
  it("authenticates with client credentials and ingests objects as JSON", async () => {
    const table = nextTable();
    const stream = await newSdk().createStream(
      table,
      server.credentials.clientId,
      server.credentials.clientSecret,
      fast,
    );
    expect(await stream.ingestRecordAndWait({ device: "t-1", celsius: 21.5 })).toBe(0n);
    await stream.close();
    server.table(table).assertRecords([{ device: "t-1", celsius: 21.5 }]);
    expect(server.oauth.requests.length).toBeGreaterThanOrEqual(1);
  });

  it("needs the workspace URL", async () => {
    const noWorkspace = new ZerobusSdk(server.endpoint, undefined, { backend: "js", allowInsecure: true });
    sdk = noWorkspace;
    const error = await rejectionOf(noWorkspace.createStream(nextTable(), "id", "secret"));
    expect(error.message).toContain("workspace URL");
  });

  it.each([
    ["", "secret", /clientId/],
    ["id", "", /clientSecret/],
  ])("refuses missing credentials (%j, %j)", async (clientId, clientSecret, message) => {
    const error = await rejectionOf(newSdk().createStream(nextTable(), clientId, clientSecret));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toMatch(message);
  });

  it("fails with auth_failed on wrong credentials, without retrying", async () => {
    const error = await rejectionOf(
      newSdk().createStream(nextTable(), server.credentials.clientId, "wrong-secret", fast),
    );
    expect(error).toMatchObject({ code: "auth_failed", retryable: false });
    expect(error.message).not.toContain("wrong-secret");
  });
});

describe("createStreamWithHeadersProvider", () => {
  const provider = (context: { tableName: string }) => server.headers(context.tableName);

  it("refuses a bad table name before connecting", async () => {
    for (const table of ["main.events", "a..b", "", "a.b.c.d"]) {
      const error = await rejectionOf(newSdk().createStreamWithHeadersProvider(table, provider));
      expect(error.code).toBe("invalid_argument");
    }
    expect(server.connections).toHaveLength(0);
  });

  it("refuses a provider that is not one", async () => {
    const error = await rejectionOf(newSdk().createStreamWithHeadersProvider(nextTable(), 42 as never));
    expect(error.message).toContain("headers provider");
  });

  it("refuses unknown and invalid options, naming them", async () => {
    const unknown = await rejectionOf(
      newSdk().createStreamWithHeadersProvider(nextTable(), provider, { maxInflightRequests: 5 } as never),
    );
    expect(unknown.message).toContain("maxInflightRecords");
    const negative = await rejectionOf(
      sdk.createStreamWithHeadersProvider(nextTable(), provider, { flushTimeoutMs: -1 }),
    );
    expect(negative.message).toContain("flushTimeoutMs");
    const unspecified = await rejectionOf(
      sdk.createStreamWithHeadersProvider(nextTable(), provider, { recordType: RecordType.Unspecified }),
    );
    expect(unspecified.message).toContain("Unspecified");
  });

  it("ingests protobuf-es messages on a stream created with their descriptor", async () => {
    const table = nextTable();
    const stream = await newSdk().createStreamWithHeadersProvider(
      { tableName: table, descriptorProto: TimestampSchema },
      provider,
      fast,
    );
    await stream.ingestRecord(create(TimestampSchema, { seconds: 1700000000n, nanos: 5 }));
    await stream.ingestRecords([create(TimestampSchema, { seconds: 2n })]);
    await stream.flush();
    expect(server.table(table).connections[0]?.descriptor?.name).toBe("Timestamp");
    expect(server.table(table).values).toEqual([{ seconds: "1700000000", nanos: 5 }, { seconds: "2" }]);
    const error = await rejectionOf(stream.ingestRecord({ seconds: 1 } as never));
    expect(error.code).toBe("invalid_argument");
  });

  it("names the bad record of a batch without quoting it", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(nextTable(), provider, fast);
    const error = await rejectionOf(stream.ingestRecords([{ ok: 1 }, [1, 2] as never]));
    expect(error.message).toContain("record 1 of the batch");
    expect(stream.stats().recordsAccepted).toBe(0);
  });

  it("rejects a cancelled wait with the accepted offset; the record is still delivered", async () => {
    const table = nextTable();
    server.setAckPolicy(table, "never");
    const stream = await newSdk().createStreamWithHeadersProvider(table, provider, fast);
    const controller = new AbortController();
    const waiting = stream.ingestRecordAndWait({ n: 1 }, { signal: controller.signal });
    await server.table(table).waitForRecords(1);
    controller.abort();
    const error = await rejectionOf(waiting);
    expect(error).toMatchObject({ code: "cancelled", offset: 0n, retryable: false });
    server.releaseAcks(table);
    await stream.waitForOffset(0n);
  });

  it("ingests every record of an async iterable, in batches when asked", async () => {
    const table = nextTable();
    const stream = await newSdk().createStreamWithHeadersProvider(table, provider, fast);
    async function* readings() {
      for (let i = 0; i < 25; i++) yield { i };
    }
    expect(await stream.ingestAll(readings(), { batchSize: 10 })).toEqual({ count: 25, lastOffset: 2n });
    expect(await stream.ingestAll([{ i: 25 }, { i: 26 }])).toEqual({ count: 2, lastOffset: 4n });
    expect(await stream.ingestAll([])).toEqual({ count: 0, lastOffset: undefined });
    await stream.flush();
    expect(server.table(table).values).toEqual(Array.from({ length: 27 }, (_, i) => ({ i })));
  });

  it("pipes a Node stream into toWritable, flushing at the end", async () => {
    const table = nextTable();
    const stream = await newSdk().createStreamWithHeadersProvider(table, provider, {
      ...fast,
      maxInflightRecords: 50,
    });
    const lines = Array.from({ length: 200 }, (_, i) => JSON.stringify({ line: i }));
    await pipeline(Readable.from(lines), stream.toWritable({ batchSize: 20 }));
    expect(stream.stats().recordsAcked).toBe(200);
    server.table(table).assertRecords(lines);
    expect(stream.state).toBe("open");
  });

  it("closes through Symbol.asyncDispose", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(nextTable(), provider, fast);
    await stream[Symbol.asyncDispose]();
    expect(stream.state).toBe("closed");
  });

  it("recreates a failed stream with its unacknowledged records first", async () => {
    const table = nextTable();
    server.script(table, [{ ack: "never" }, { fail: 7, after: { records: 2 } }, { ack: "immediate" }]);
    const stream = await newSdk().createStreamWithHeadersProvider(table, provider, fast);
    await stream.ingestRecords([{ a: 1 }, { a: 2 }]);
    expect((await rejectionOf(stream.flush())).code).toBe("permission_denied");
    const [next, again] = await Promise.all([sdk.recreateStream(stream), sdk.recreateStream(stream)]);
    // Asked twice, one new stream: the unacknowledged records are not sent twice.
    expect(again).toBe(next);
    expect(await sdk.recreateStream(stream)).toBe(next);
    expect(await next.ingestRecord({ a: 3 })).toBe(1n);
    await next.flush();
    expect(server.table(table).connections).toHaveLength(2);
    expect(
      server.table(table).connections[1]?.requests.flatMap((r) => r.records.map((x) => x.value)),
    ).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    const other = new ZerobusSdk(server.endpoint, undefined, { backend: "js", allowInsecure: true });
    expect((await rejectionOf(other.recreateStream(stream))).code).toBe("invalid_argument");
    await other.close();
  });

  it("closes every stream of the SDK on sdk.close() and refuses new ones", async () => {
    const s1 = await newSdk().createStreamWithHeadersProvider(nextTable(), provider, fast);
    const s2 = await sdk.createStreamWithHeadersProvider(nextTable(), provider, fast);
    await s1.ingestRecord({ x: 1 });
    await sdk.close();
    expect([s1.state, s2.state]).toEqual(["closed", "closed"]);
    expect(s1.stats().recordsAcked).toBe(1);
    expect((await rejectionOf(sdk.createStreamWithHeadersProvider(nextTable(), provider))).code).toBe(
      "invalid_state",
    );
  });
});
