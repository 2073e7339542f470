import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { DescriptorProtoSchema, FieldDescriptorProto_Type } from "@bufbuild/protobuf/wkt";
import { RecordType } from "@zerobus/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import { GrpcStatusCode } from "../status.js";
import { encodeRow, rowDescriptorBytes } from "../test-support/descriptors.js";
import { openJsonStream, TestStream } from "../test-support/test-stream.js";

const TABLE = "main.default.checks";
let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

/** Opens a stream with `headers`, runs `act`, and returns the status the server ended it with. */
async function statusOf(headers: Record<string, string>, act: (stream: TestStream) => void) {
  const stream = new TestStream(server.address, headers);
  act(stream);
  const status = await stream.status;
  stream.close();
  return { code: status.code, details: status.details };
}

describe("authentication", () => {
  it.each([
    ["no authorization header", {}, "missing authorization header"],
    ["a non-bearer scheme", { authorization: "Basic abc" }, 'authorization header must be "Bearer <token>"'],
    ["a token the server never issued", { authorization: "Bearer forged" }, "invalid access token"],
  ])("refuses %s with UNAUTHENTICATED", async (_, auth, details) => {
    const status = await statusOf({ ...auth, "x-databricks-zerobus-table-name": TABLE }, (s) =>
      s.create(TABLE),
    );
    expect(status).toEqual({ code: GrpcStatusCode.UNAUTHENTICATED, details });
  });

  it("refuses an expired token at create", async () => {
    const { token } = server.issueToken(TABLE, { ttlSeconds: 0 });
    const headers = { authorization: `Bearer ${token}`, "x-databricks-zerobus-table-name": TABLE };
    expect(await statusOf(headers, (s) => s.create(TABLE))).toEqual({
      code: GrpcStatusCode.UNAUTHENTICATED,
      details: "access token expired",
    });
  });

  it("refuses a token issued for another table with PERMISSION_DENIED", async () => {
    const headers = { ...server.headers("main.default.other"), "x-databricks-zerobus-table-name": TABLE };
    const status = await statusOf(headers, (s) => s.create(TABLE));
    expect(status.code).toBe(GrpcStatusCode.PERMISSION_DENIED);
    expect(status.details).toContain(TABLE);
  });

  it("ends a live stream once its token expires, without any further message", async () => {
    const table = "main.default.expiring";
    const { token } = server.issueToken(table, { ttlSeconds: 0.3 });
    const stream = new TestStream(server.address, {
      authorization: `Bearer ${token}`,
      "x-databricks-zerobus-table-name": table,
    });
    const started = Date.now();
    stream.create(table);
    expect((await stream.next()).payload.case).toBe("createStreamResponse");
    const status = await stream.status;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(status.code).toBe(GrpcStatusCode.UNAUTHENTICATED);
    expect(status.details).toBe("access token expired");
    stream.close();
  });

  it("ends a live stream when the test revokes its token, and refuses the token afterwards", async () => {
    const table = "main.default.revoked";
    const headers = server.headers(table);
    const stream = new TestStream(server.address, headers);
    stream.create(table);
    await stream.next();
    expect(server.revokeTokens({ table })).toBe(1);
    expect((await stream.status).details).toBe("access token revoked");
    stream.close();
    expect((await statusOf(headers, (s) => s.create(table))).details).toBe("access token revoked");
  });

  it("ends live streams when the test expires tokens", async () => {
    const table = "main.default.expired-by-test";
    const stream = await openJsonStream(server, table);
    server.expireTokens();
    expect(await stream.status).toMatchObject({
      code: GrpcStatusCode.UNAUTHENTICATED,
      details: "access token expired",
    });
    stream.close();
    expect(server.table(table).connections[0]?.end).toEqual({
      by: "server",
      code: GrpcStatusCode.UNAUTHENTICATED,
      details: "access token expired",
    });
  });

  it("refuses the next request once the token expired", async () => {
    const table = "main.default.expired-next";
    const { token } = server.issueToken(table, { ttlSeconds: 3600 });
    const stream = new TestStream(server.address, {
      authorization: `Bearer ${token}`,
      "x-databricks-zerobus-table-name": table,
    });
    stream.create(table);
    await stream.next();
    stream.json(0n, "{}");
    await stream.acks(1);
    // Expire without notifying: the check on the next message must catch it.
    (server.oauth.tokens.find((t) => t.token === token) as { expiresAt: number }).expiresAt = Date.now() - 1;
    stream.json(1n, "{}");
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAUTHENTICATED);
    stream.close();
    expect(server.table(table).connections[0]?.requests[1]?.refused?.code).toBe(
      GrpcStatusCode.UNAUTHENTICATED,
    );
  });

  it("accepts any bearer with acceptAnyToken", async () => {
    const lenient = await createMockServer({ acceptAnyToken: true });
    try {
      const stream = new TestStream(lenient.address, {
        authorization: "Bearer anything",
        "x-databricks-zerobus-table-name": TABLE,
      });
      stream.create(TABLE);
      expect((await stream.next()).payload.case).toBe("createStreamResponse");
      stream.cancel();
      stream.close();
    } finally {
      await lenient.close();
    }
  });
});

describe("create checks", () => {
  const invalid = (details: string) => ({ code: GrpcStatusCode.INVALID_ARGUMENT, details });

  it("requires the table header to equal the created table", async () => {
    const headers = { ...server.headers(TABLE), "x-databricks-zerobus-table-name": "main.default.elsewhere" };
    expect(await statusOf(headers, (s) => s.create(TABLE))).toEqual(
      invalid(
        `x-databricks-zerobus-table-name header "main.default.elsewhere" does not match table_name "${TABLE}"`,
      ),
    );
    const { "x-databricks-zerobus-table-name": _, ...noHeader } = server.headers(TABLE);
    expect(await statusOf(noHeader, (s) => s.create(TABLE))).toEqual(
      invalid("missing x-databricks-zerobus-table-name header"),
    );
  });

  it("requires create first", async () => {
    expect(await statusOf(server.headers(TABLE), (s) => s.json(0n, "{}"))).toEqual(
      invalid("the first message must be create_stream"),
    );
  });

  it("accepts create only once", async () => {
    const status = await statusOf(server.headers(TABLE), (s) => {
      s.create(TABLE);
      s.create(TABLE);
    });
    expect(status).toEqual(invalid("create_stream may be sent only once per stream"));
  });

  it("requires a three-part table name", async () => {
    const headers = { ...server.headers(TABLE), "x-databricks-zerobus-table-name": "main.events" };
    expect((await statusOf(headers, (s) => s.create("main.events"))).details).toContain("three-part name");
  });

  it.each([
    ["unset", undefined, "record_type is required"],
    ["UNSPECIFIED", RecordType.RECORD_TYPE_UNSPECIFIED, "record_type must be PROTO or JSON"],
  ])("refuses a record type that is %s", async (_, recordType, details) => {
    const status = await statusOf(server.headers(TABLE), (s) =>
      s.send({
        payload: {
          case: "createStream",
          value: { tableName: TABLE, ...(recordType === undefined ? {} : { recordType }) },
        },
      }),
    );
    expect(status).toEqual(invalid(details));
  });

  it("requires a descriptor on a PROTO stream", async () => {
    const status = await statusOf(server.headers(TABLE), (s) =>
      s.send({
        payload: { case: "createStream", value: { tableName: TABLE, recordType: RecordType.PROTO } },
      }),
    );
    expect(status).toEqual(invalid("Proto descriptor is required for PROTO record type"));
  });

  it("refuses a descriptor that is not a DescriptorProto", async () => {
    const status = await statusOf(server.headers(TABLE), (s) =>
      s.create(TABLE, new Uint8Array([0xff, 0xff, 0xff])),
    );
    expect(status.code).toBe(GrpcStatusCode.INVALID_ARGUMENT);
    expect(status.details).toContain("not a serialized google.protobuf.DescriptorProto");
  });

  it("refuses a descriptor whose references do not resolve inside the message", async () => {
    const descriptor = create(DescriptorProtoSchema, {
      name: "Row",
      field: [
        {
          name: "at",
          number: 1,
          type: FieldDescriptorProto_Type.MESSAGE,
          typeName: ".google.protobuf.Timestamp",
        },
      ],
    });
    const status = await statusOf(server.headers(TABLE), (s) =>
      s.create(TABLE, toBinary(DescriptorProtoSchema, descriptor)),
    );
    expect(status.code).toBe(GrpcStatusCode.INVALID_ARGUMENT);
    expect(status.details).toContain('descriptor_proto for "Row" cannot be resolved');
  });

  it("records the decoded descriptor of a PROTO stream", async () => {
    const table = "main.default.proto-create";
    const stream = new TestStream(server.address, server.headers(table));
    stream.create(table, rowDescriptorBytes());
    await stream.next();
    expect(server.table(table).connections[0]).toMatchObject({
      recordType: "proto",
      descriptor: { name: "Row" },
    });
    stream.cancel();
    stream.close();
  });
});

describe("request checks", () => {
  const refusal = async (table: string, act: (stream: TestStream) => void, descriptor?: Uint8Array) => {
    const stream = new TestStream(server.address, server.headers(table));
    stream.create(table, descriptor);
    await stream.next();
    act(stream);
    const status = await stream.status;
    stream.close();
    return { code: status.code, details: status.details };
  };

  it("requires wire offsets 0, 1, 2… per connection", async () => {
    expect(await refusal("main.default.offsets", (s) => s.json(1n, "{}"))).toEqual({
      code: GrpcStatusCode.INVALID_ARGUMENT,
      details: "Non-incremental offset: expected 0, actual 1",
    });
    const twice = await refusal("main.default.offsets", (s) => {
      s.json(0n, "{}");
      s.json(0n, "{}");
    });
    expect(twice.details).toBe("Non-incremental offset: expected 1, actual 0");
  });

  it("requires offset_id", async () => {
    const status = await refusal("main.default.offsets", (s) =>
      s.send({ payload: { case: "ingestRecord", value: { record: { case: "jsonRecord", value: "{}" } } } }),
    );
    expect(status).toEqual({ code: GrpcStatusCode.INVALID_ARGUMENT, details: "offset_id is required" });
  });

  it.each([
    ["not JSON", "{", "record 0: not valid JSON"],
    ["an array", "[1]", "record 0: a JSON record must be an object, got an array"],
    ["a number", "42", "record 0: a JSON record must be an object, got number"],
    ["null", "null", "record 0: a JSON record must be an object, got null"],
  ])("refuses a JSON record that is %s", async (_, record, details) => {
    const status = await refusal("main.default.json", (s) => s.json(0n, record));
    expect(status.code).toBe(GrpcStatusCode.INVALID_ARGUMENT);
    expect(status.details).toContain(details);
  });

  it("refuses an empty batch and names the bad record of a batch", async () => {
    expect((await refusal("main.default.json", (s) => s.jsonBatch(0n, []))).details).toBe(
      "ingest_record_batch has no records",
    );
    expect((await refusal("main.default.json", (s) => s.jsonBatch(0n, ["{}", "x"]))).details).toContain(
      "record 1:",
    );
  });

  it("refuses records of the wrong kind for the stream", async () => {
    expect((await refusal("main.default.json", (s) => s.proto(0n, new Uint8Array([8, 1])))).details).toBe(
      "proto records sent on a JSON stream",
    );
    const onProto = await refusal("main.default.proto", (s) => s.json(0n, "{}"), rowDescriptorBytes());
    expect(onProto.details).toBe("JSON records sent on a PROTO stream");
  });

  it("decodes proto records with the descriptor, nested types included", async () => {
    const table = "main.default.proto-ok";
    const stream = new TestStream(server.address, server.headers(table));
    stream.create(table, rowDescriptorBytes());
    await stream.next();
    const bytes = encodeRow({ id: 7n, name: "x", city: "Oslo" });
    stream.proto(0n, bytes);
    await stream.acks(1);
    stream.cancel();
    stream.close();
    const [record] = server.table(table).records;
    expect(record).toEqual({
      kind: "proto",
      bytes,
      value: { id: "7", name: "x", address: { city: "Oslo" } },
    });
  });

  it.each([
    [
      "a field with the wrong wire type",
      new BinaryWriter().tag(1, WireType.LengthDelimited).string("7").finish(),
      'field "id" (#1)',
    ],
    ["truncated bytes", encodeRow({ name: "abcdef" }).slice(0, 4), "premature EOF"],
    [
      "a nested message missing a required field",
      new BinaryWriter().tag(3, WireType.LengthDelimited).bytes(new Uint8Array()).finish(),
      'required field "city"',
    ],
  ])("refuses a proto record with %s", async (_, bytes, details) => {
    const status = await refusal("main.default.proto", (s) => s.proto(0n, bytes), rowDescriptorBytes());
    expect(status.code).toBe(GrpcStatusCode.INVALID_ARGUMENT);
    expect(status.details).toContain("record 0 does not decode as pkg.Row");
    expect(status.details).toContain(details);
  });

  it("refuses a message over 10 MiB with RESOURCE_EXHAUSTED and records the refusal", async () => {
    const table = "main.default.big";
    const status = await refusal(table, (s) => s.json(0n, `{"a":"${"x".repeat(10 * 1024 * 1024)}"}`));
    expect(status.code).toBe(GrpcStatusCode.RESOURCE_EXHAUSTED);
    expect(status.details).toMatch(/^Received message larger than max \(\d+ vs\. 10485760\)$/);
    const request = server.table(table).connections[0]?.requests[0];
    expect(request?.refused?.code).toBe(GrpcStatusCode.RESOURCE_EXHAUSTED);
    expect(request?.bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(server.table(table).recordCount).toBe(0);
  });

  it("accepts a message of exactly the limit", async () => {
    const small = await createMockServer({ maxMessageBytes: 100 });
    try {
      const stream = await openJsonStream(small, TABLE);
      // Request = 1 (tag) + 1 (len) + [2 (offset) + 1 (tag) + 1 (len) + n]; n = 94 makes 100 bytes.
      stream.json(0n, `{"a":"${"x".repeat(86)}"}`);
      expect(await stream.acks(1)).toEqual([0n]);
      stream.json(1n, `{"a":"${"x".repeat(87)}"}`);
      expect((await stream.status).code).toBe(GrpcStatusCode.RESOURCE_EXHAUSTED);
      stream.close();
    } finally {
      await small.close();
    }
  });

  it("lets checks be turned off", async () => {
    const lax = await createMockServer({ checks: { offsets: false, records: false, tableHeader: false } });
    try {
      const { "x-databricks-zerobus-table-name": _, ...headers } = lax.headers(TABLE);
      const stream = new TestStream(lax.address, headers);
      stream.create(TABLE);
      await stream.next();
      stream.json(5n, "not json");
      expect(await stream.acks(1)).toEqual([5n]);
      stream.cancel();
      stream.close();
      expect(lax.table(TABLE).jsonRecords).toEqual(["not json"]);
    } finally {
      await lax.close();
    }
  });
});
