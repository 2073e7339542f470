import { create } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import type { HeadersContext } from "@zerobus/core";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZerobusSdk } from "../src/index.js";

/**
 * Edge cases of the public API over the real mock server: closing while streams open, partial failures of
 * ingestAll and toWritable, records JSON would garble, callbacks that reject, and bad arguments.
 */
let server: MockServer;
let sdk: ZerobusSdk;
let tables = 0;
const nextTable = () => `main.edges.t${++tables}`;
const headers = (context: HeadersContext) => server.headers(context.tableName);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

function newSdk(): ZerobusSdk {
  sdk = new ZerobusSdk(server.endpoint, undefined, { backend: "js", allowInsecure: true });
  return sdk;
}

/** "resolved", "rejected", or "pending" if `promise` has not settled within `ms`. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<string> {
  return Promise.race([
    promise.then(
      () => "resolved",
      () => "rejected",
    ),
    sleep(ms).then(() => "pending"),
  ]);
}

describe("ZerobusSdk.close", () => {
  it("during the first createStream leaves no open stream: the opening rejects", async () => {
    newSdk();
    const opening = sdk.createStreamWithHeadersProvider(
      { tableName: nextTable(), descriptorProto: TimestampSchema },
      headers,
    );
    await sdk.close();
    await expect(opening).rejects.toMatchObject({ code: "invalid_state" });
  });

  it("called twice resolves both calls only once every stream is closed", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(nextTable(), headers);
    await stream.ingestRecord({ a: 1 });
    const first = sdk.close();
    await sdk.close();
    expect(stream.state).toBe("closed");
    await first;
  });
});

describe("ingestAll", () => {
  it("ingests the records a source gave before it threw, batched or not, then passes its error on", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(nextTable(), headers);
    function* source() {
      for (let i = 0; i < 5; i++) yield { i };
      throw new Error("source broke");
    }
    await expect(stream.ingestAll(source(), { batchSize: 10 })).rejects.toThrow("source broke");
    expect(stream.stats().recordsAccepted).toBe(5);
    await expect(stream.ingestAll(source())).rejects.toThrow("source broke");
    expect(stream.stats().recordsAccepted).toBe(10);
  });

  it("rejects with cancelled when aborted while the source waits for its next record", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(nextTable(), headers);
    const controller = new AbortController();
    async function* source() {
      yield { i: 0 };
      await new Promise(() => {});
    }
    const ingesting = stream.ingestAll(source(), { signal: controller.signal });
    await expect.poll(() => stream.stats().recordsAccepted).toBe(1);
    controller.abort();
    expect(await settledWithin(ingesting, 2000)).toBe("rejected");
    await expect(ingesting).rejects.toMatchObject({ code: "cancelled" });
  });

  it("refuses an already-aborted signal, a signal that is not one, a source that is not iterable, bad options", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(nextTable(), headers);
    let read = 0;
    function* counted() {
      read++;
      yield { a: 1 };
    }
    await expect(stream.ingestAll(counted(), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "cancelled",
    });
    expect(read).toBe(0);
    await expect(stream.ingestAll([], { signal: "nope" as never })).rejects.toMatchObject({
      code: "invalid_argument",
    });
    await expect(stream.ingestAll(42 as never)).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("iterable"),
    });
    await expect(stream.ingestAll([], null as never)).rejects.toMatchObject({ code: "invalid_argument" });
    expect(() => stream.toWritable(null as never)).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
    expect(stream.stats().recordsAccepted).toBe(0);
  });
});

describe("toWritable", () => {
  it("accepts nothing written after a refused batch, so what was written arrives without a gap", async () => {
    const table = nextTable();
    const stream = await newSdk().createStreamWithHeadersProvider(table, headers);
    const writable = stream.toWritable({ batchSize: 2 });
    const failed = new Promise((resolve) => writable.on("error", resolve));
    writable.write({ n: 0 });
    writable.cork();
    for (const record of [{ n: 1 }, { n: 2 }, [3], { n: 4 }, { n: 5 }, { n: 6 }]) writable.write(record);
    writable.uncork();
    await failed;
    await stream.flush();
    expect(server.table(table).values).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  });
});

describe("records", () => {
  it("refuses what JSON would turn into something else (Map, Set, ArrayBuffer, typed arrays)", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(nextTable(), headers);
    for (const record of [new Map([["a", 1]]), new Set([1]), new ArrayBuffer(4), new Int16Array([1, 2])]) {
      await expect(stream.ingestRecord(record as never)).rejects.toMatchObject({ code: "invalid_argument" });
    }
    await expect(stream.ingestRecord({ big: 1n } as never)).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("BigInt"),
    });
    expect(stream.stats().recordsAccepted).toBe(0);
  });

  it("refuses a protobuf message that cannot be encoded with invalid_argument", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(
      { tableName: nextTable(), descriptorProto: TimestampSchema },
      headers,
    );
    const message = create(TimestampSchema, { seconds: 1n });
    (message as { nanos: unknown }).nanos = "x";
    await expect(stream.ingestRecord(message)).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("google.protobuf.Timestamp message could not be encoded"),
    });
  });
});

describe("event callbacks", () => {
  it("an async callback that rejects is logged, never an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    const logged: string[] = [];
    try {
      sdk = new ZerobusSdk(server.endpoint, undefined, {
        backend: "js",
        allowInsecure: true,
        logger: {
          debug: () => {},
          info: () => {},
          warn: () => {},
          error: (message: string) => logged.push(message),
        },
      });
      const stream = await sdk.createStreamWithHeadersProvider(nextTable(), headers, {
        onAck: async () => {
          throw new Error("callback failed");
        },
      });
      await stream.ingestRecordAndWait({ a: 1 });
      await sleep(50);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(logged).toContain("the onAck callback rejected; it must not fail");
  });
});

describe("options and arguments", () => {
  it("refuses an unknown SDK option, unknown tls keys and a keepalive a timer cannot wait", () => {
    const make = (options: object) => () => new ZerobusSdk(server.endpoint, undefined, options as never);
    expect(make({ backend: "js", keepAliveMs: 1000 })).toThrow(/unknown ZerobusSdk option "keepAliveMs"/);
    expect(make({ backend: "js", tls: { cert: "x" } })).toThrow(/option tls must be/);
    expect(make({ backend: "js", keepaliveMs: 2 ** 32 })).toThrow(/keepaliveMs must be/);
  });

  it("refuses a recreateStream signal that is not an AbortSignal", async () => {
    const stream = await newSdk().createStreamWithHeadersProvider(nextTable(), headers);
    await stream.close();
    await expect(sdk.recreateStream(stream, { signal: "x" as never })).rejects.toMatchObject({
      code: "invalid_argument",
    });
  });
});
