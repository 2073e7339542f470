import { create, toBinary } from "@bufbuild/protobuf";
import {
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
} from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { encodeRow, rowDescriptor, rowDescriptorBytes } from "../test-support/descriptors.js";
import { decodeRow } from "./decode-row.js";
import { rowMessageFromDescriptor } from "./row-message.js";

describe("rowMessageFromDescriptor", () => {
  it("places the message in the package its references imply, nested types resolved", () => {
    const { message } = rowMessageFromDescriptor(rowDescriptorBytes());
    expect(message.typeName).toBe("pkg.Row");
    expect(message.field.address?.message?.typeName).toBe("pkg.Row.Address");
  });

  it("builds a message without references in no package", () => {
    const bytes = toBinary(
      DescriptorProtoSchema,
      create(DescriptorProtoSchema, {
        name: "Flat",
        field: [{ name: "n", number: 1, type: FieldDescriptorProto_Type.INT32 }],
      }),
    );
    expect(rowMessageFromDescriptor(bytes).message.typeName).toBe("Flat");
  });

  it("builds proto3 descriptors with optional fields", () => {
    const descriptor = create(DescriptorProtoSchema, {
      name: "P3",
      field: [
        {
          name: "n",
          number: 1,
          type: FieldDescriptorProto_Type.INT32,
          label: FieldDescriptorProto_Label.OPTIONAL,
          proto3Optional: true,
          oneofIndex: 0,
        },
      ],
      oneofDecl: [{ name: "_n" }],
    });
    const { message } = rowMessageFromDescriptor(toBinary(DescriptorProtoSchema, descriptor));
    expect(decodeRow(message, new Uint8Array([8, 5]))).toEqual({ n: 5 });
  });

  it("refuses a sibling type the message does not contain", () => {
    const descriptor = rowDescriptor();
    descriptor.nestedType = [];
    expect(() => rowMessageFromDescriptor(toBinary(DescriptorProtoSchema, descriptor))).toThrow(
      "cannot be resolved on its own",
    );
  });

  it("refuses a descriptor without a name", () => {
    expect(() => rowMessageFromDescriptor(new Uint8Array())).toThrow("has no message name");
  });
});

describe("decodeRow", () => {
  const { message } = rowMessageFromDescriptor(rowDescriptorBytes());

  it("returns proto JSON with the proto field names, skipping unknown fields", () => {
    const bytes = new Uint8Array([...encodeRow({ id: 3n, city: "Rome" }), 0x78, 0x01]);
    expect(decodeRow(message, bytes)).toEqual({ id: "3", address: { city: "Rome" } });
  });

  it("records a nested message whose fields are all zero with its values, not as {}", () => {
    // Row { Timestamp at = 1; } with a copy of google.protobuf.Timestamp nested, as @zerobus/sdk derives
    // it: a proto3 writer sends a zero Timestamp as an empty message (field 1, length 0).
    const descriptor = create(DescriptorProtoSchema, {
      name: "Row",
      field: [
        {
          name: "at",
          number: 1,
          type: FieldDescriptorProto_Type.MESSAGE,
          label: FieldDescriptorProto_Label.OPTIONAL,
          typeName: ".pkg.Row.Timestamp",
        },
        {
          name: "n",
          number: 2,
          type: FieldDescriptorProto_Type.INT32,
          label: FieldDescriptorProto_Label.OPTIONAL,
        },
      ],
      nestedType: [
        {
          name: "Timestamp",
          field: [
            { name: "seconds", number: 1, type: FieldDescriptorProto_Type.INT64 },
            { name: "nanos", number: 2, type: FieldDescriptorProto_Type.INT32 },
          ],
        },
      ],
    });
    const { message: row } = rowMessageFromDescriptor(rowDescriptorBytes(descriptor));
    // The row's own absent field `n` stays absent (a null column).
    expect(decodeRow(row, new Uint8Array([0x0a, 0x00]))).toEqual({ at: { seconds: "0", nanos: 0 } });
    // at { nanos: 5 }
    expect(decodeRow(row, new Uint8Array([0x0a, 0x02, 0x10, 0x05]))).toEqual({
      at: { seconds: "0", nanos: 5 },
    });
  });

  it("checks wire types inside nested messages", () => {
    // address { city: varint 1 } — city is a string.
    expect(() => decodeRow(message, new Uint8Array([0x1a, 0x02, 0x08, 0x01]))).toThrow(
      'field "city" (#1) of pkg.Row.Address has wire type 0, expected 2',
    );
  });

  it("refuses a nested length running past the record", () => {
    expect(() => decodeRow(message, new Uint8Array([0x1a, 0x05, 0x0a, 0x01, 0x61]))).toThrow();
  });

  it("checks required fields in messages held by a oneof and in lists", () => {
    // Row { oneof kind { Address address = 1; string text = 2; } repeated Address all = 3; }
    // Address { required string city = 1; }
    const descriptor = create(DescriptorProtoSchema, {
      name: "Row",
      field: [
        {
          name: "address",
          number: 1,
          type: FieldDescriptorProto_Type.MESSAGE,
          label: FieldDescriptorProto_Label.OPTIONAL,
          typeName: ".pkg.Row.Address",
          oneofIndex: 0,
        },
        { name: "text", number: 2, type: FieldDescriptorProto_Type.STRING, oneofIndex: 0 },
        {
          name: "all",
          number: 3,
          type: FieldDescriptorProto_Type.MESSAGE,
          label: FieldDescriptorProto_Label.REPEATED,
          typeName: ".pkg.Row.Address",
        },
      ],
      oneofDecl: [{ name: "kind" }],
      // The test row's own Address, whose city is required.
      nestedType: rowDescriptor().nestedType,
    });
    const { message: row } = rowMessageFromDescriptor(rowDescriptorBytes(descriptor));
    // address { city: "Oslo" } in the oneof.
    expect(decodeRow(row, new Uint8Array([0x0a, 0x06, 0x0a, 0x04, 0x4f, 0x73, 0x6c, 0x6f]))).toEqual({
      address: { city: "Oslo" },
    });
    // An empty address in the oneof, then in the list: city is required.
    expect(() => decodeRow(row, new Uint8Array([0x0a, 0x00]))).toThrow(
      'required field "city" of pkg.Row.Address is missing',
    );
    expect(() => decodeRow(row, new Uint8Array([0x1a, 0x00]))).toThrow(
      'required field "city" of pkg.Row.Address is missing',
    );
  });
});
