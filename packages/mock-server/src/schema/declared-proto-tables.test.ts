import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  TimestampSchema,
} from "@bufbuild/protobuf/wkt";
import { afterEach, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import type { MockServerOptions } from "../mock-server-options.js";
import { GrpcStatusCode } from "../status.js";
import { encodeRow, rowDescriptor, rowDescriptorBytes } from "../test-support/descriptors.js";
import { openJsonStream, TestStream } from "../test-support/test-stream.js";

const ROWS = "main.app.rows";
const servers: MockServer[] = [];

async function start(options: MockServerOptions): Promise<MockServer> {
  const server = await createMockServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Opens a PROTO stream, sends `records` one per request, half-closes, and returns how the stream ended. */
async function sendProto(server: MockServer, table: string, descriptor: Uint8Array, records: Uint8Array[]) {
  const stream = new TestStream(server.address, server.headers(table));
  stream.create(table, descriptor);
  for (const [offset, record] of records.entries()) stream.proto(BigInt(offset), record);
  stream.end();
  const { code, details } = await stream.status;
  stream.close();
  return { code, details };
}

// pkg.Row { optional int64 id = 1; optional string name = 2; optional Address address = 3; }
// Address { required string city = 1; }
const rowColumns = { id: "BIGINT", name: "STRING", address: "STRUCT<city: STRING NOT NULL>" };

describe("a PROTO stream's descriptor on a declared table", () => {
  it("is accepted when every field is a column that takes it, and records are checked and recorded", async () => {
    const server = await start({ tables: { [ROWS]: { columns: { ...rowColumns, extra: "DATE" } } } });
    const row = encodeRow({ id: 3n, city: "Rome" });
    expect((await sendProto(server, ROWS, rowDescriptorBytes(), [row])).code).toBe(GrpcStatusCode.OK);
    expect(server.table(ROWS).values).toEqual([{ id: "3", address: { city: "Rome" } }]);
  });

  it.each([
    [
      { ...rowColumns, id: "INT" },
      'field "id" of pkg.Row for main.app.rows is BIGINT, which column "id" (INT) does not take',
    ],
    [
      { id: "BIGINT", address: "STRUCT<city: STRING>" },
      'field "name" of pkg.Row for main.app.rows is not a column (columns: id, address)',
    ],
    [
      { ...rowColumns, address: "STRUCT<town: STRING>" },
      'field "address.city" of pkg.Row for main.app.rows is not a column (fields of address: town)',
    ],
    [
      { ...rowColumns, address: "STRING" },
      'field "address" of pkg.Row for main.app.rows is STRUCT<city: STRING NOT NULL>, which column "address" (STRING) does not take',
    ],
    [
      { ...rowColumns, must: "STRING NOT NULL" },
      'column "must" is NOT NULL but pkg.Row for main.app.rows has no field "must"',
    ],
  ])("is refused at create when it does not fit %j", async (columns, details) => {
    const server = await start({ tables: { [ROWS]: { columns } } });
    expect(await sendProto(server, ROWS, rowDescriptorBytes(), [])).toEqual({
      code: GrpcStatusCode.INVALID_ARGUMENT,
      details,
    });
    expect(server.table(ROWS).connections[0]?.streamId).toBeUndefined();
  });
});

// Small { optional int32 level = 1; optional Color color = 2; optional bytes blob = 3; optional int64 at = 4; }
// enum Color { NONE = 0; RED = 1; }
const smallDescriptor = toBinary(
  DescriptorProtoSchema,
  create(DescriptorProtoSchema, {
    name: "Small",
    field: [
      {
        name: "level",
        number: 1,
        type: FieldDescriptorProto_Type.INT32,
        label: FieldDescriptorProto_Label.OPTIONAL,
      },
      {
        name: "color",
        number: 2,
        type: FieldDescriptorProto_Type.ENUM,
        label: FieldDescriptorProto_Label.OPTIONAL,
        typeName: ".Small.Color",
      },
      {
        name: "blob",
        number: 3,
        type: FieldDescriptorProto_Type.BYTES,
        label: FieldDescriptorProto_Label.OPTIONAL,
      },
      {
        name: "at",
        number: 4,
        type: FieldDescriptorProto_Type.INT64,
        label: FieldDescriptorProto_Label.OPTIONAL,
      },
    ],
    enumType: [
      {
        name: "Color",
        value: [
          { name: "NONE", number: 0 },
          { name: "RED", number: 1 },
        ],
      },
    ],
  }),
);
const smallColumns = { level: "TINYINT", color: "STRING", blob: "BINARY", at: "TIMESTAMP" };

function small(level: number): Uint8Array {
  const writer = new BinaryWriter();
  writer.tag(1, WireType.Varint).int32(level);
  writer.tag(2, WireType.Varint).int32(1);
  writer.tag(3, WireType.LengthDelimited).bytes(new Uint8Array([1, 2]));
  writer.tag(4, WireType.Varint).int64(1_700_000_000_000_000n);
  return writer.finish();
}

describe("proto records on a declared table", () => {
  it("are checked as their proto JSON: int64 as a string, bytes as base64, an enum by name", async () => {
    const server = await start({ tables: { [ROWS]: { columns: smallColumns } } });
    expect((await sendProto(server, ROWS, smallDescriptor, [small(5)])).code).toBe(GrpcStatusCode.OK);
    expect(server.table(ROWS).values).toEqual([
      { level: 5, color: "RED", blob: "AQI=", at: "1700000000000000" },
    ]);
  });

  it("end the stream with INVALID_ARGUMENT when a value does not fit its column", async () => {
    const server = await start({ tables: { [ROWS]: { columns: smallColumns } } });
    expect(await sendProto(server, ROWS, smallDescriptor, [small(5), small(300)])).toEqual({
      code: GrpcStatusCode.INVALID_ARGUMENT,
      details:
        'record 0 of offset 1: column "level" of main.app.rows is TINYINT (out of range), got a number (300)',
    });
    expect(server.table(ROWS).connections[0]?.requests[1]?.refused?.code).toBe(
      GrpcStatusCode.INVALID_ARGUMENT,
    );
  });

  it("are refused when a NOT NULL column's field is absent", async () => {
    const server = await start({
      tables: { [ROWS]: { columns: { ...rowColumns, name: "STRING NOT NULL" } } },
    });
    expect(await sendProto(server, ROWS, rowDescriptorBytes(), [encodeRow({ id: 1n })])).toEqual({
      code: GrpcStatusCode.INVALID_ARGUMENT,
      details: 'record 0 of offset 0: column "name" of main.app.rows is NOT NULL, got no value',
    });
  });
});

describe("{ descriptor } declarations", () => {
  it("from a protobuf-es message type: its fields are the columns", async () => {
    const table = "main.app.times";
    const server = await start({ tables: { [table]: { descriptor: TimestampSchema } } });
    const stream = await openJsonStream(server, table);
    stream.json(0n, '{"seconds":"12","nanos":5}');
    await stream.acks(1);
    stream.json(1n, '{"seconds":1,"nano":1}');
    expect((await stream.status).details).toBe(
      'record 0 of offset 1: unknown column "nano" of main.app.times (columns: seconds, nanos)',
    );
    stream.close();
  });

  it.each([
    ["serialized bytes", rowDescriptorBytes()],
    ["a DescriptorProto", rowDescriptor()],
  ])("from %s: required fields are NOT NULL, and the same descriptor streams", async (_, descriptor) => {
    const server = await start({ tables: { [ROWS]: { descriptor } } });
    const row = encodeRow({ id: 2n, name: "n", city: "Oslo" });
    expect((await sendProto(server, ROWS, rowDescriptorBytes(), [row])).code).toBe(GrpcStatusCode.OK);
    const stream = await openJsonStream(server, ROWS);
    stream.json(0n, '{"id":"1","address":{}}');
    expect((await stream.status).details).toBe(
      'record 0 of offset 0: column "address.city" of main.app.rows is NOT NULL, got no value',
    );
    stream.close();
  });
});
