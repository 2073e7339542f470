import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import {
  type DescriptorProto,
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
} from "@bufbuild/protobuf/wkt";

/** Test-only: `pkg.Row { optional int64 id = 1; optional string name = 2; optional Address address = 3;
 *  message Address { required string city = 1; } }` with fully-qualified references. */
export function rowDescriptor(): DescriptorProto {
  return create(DescriptorProtoSchema, {
    name: "Row",
    field: [
      {
        name: "id",
        number: 1,
        type: FieldDescriptorProto_Type.INT64,
        label: FieldDescriptorProto_Label.OPTIONAL,
      },
      {
        name: "name",
        number: 2,
        type: FieldDescriptorProto_Type.STRING,
        label: FieldDescriptorProto_Label.OPTIONAL,
      },
      {
        name: "address",
        number: 3,
        type: FieldDescriptorProto_Type.MESSAGE,
        label: FieldDescriptorProto_Label.OPTIONAL,
        typeName: ".pkg.Row.Address",
      },
    ],
    nestedType: [
      {
        name: "Address",
        field: [
          {
            name: "city",
            number: 1,
            type: FieldDescriptorProto_Type.STRING,
            label: FieldDescriptorProto_Label.REQUIRED,
          },
        ],
      },
    ],
  });
}

/** The row descriptor, serialized as a client sends it. */
export function rowDescriptorBytes(descriptor: DescriptorProto = rowDescriptor()): Uint8Array {
  return toBinary(DescriptorProtoSchema, descriptor);
}

/** Encodes a `pkg.Row` by hand (so the tests do not use the code under test to encode). */
export function encodeRow(row: { id?: bigint; name?: string; city?: string }): Uint8Array {
  const writer = new BinaryWriter();
  if (row.id !== undefined) writer.tag(1, WireType.Varint).int64(row.id);
  if (row.name !== undefined) writer.tag(2, WireType.LengthDelimited).string(row.name);
  if (row.city !== undefined) {
    writer.tag(3, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(row.city).join();
  }
  return writer.finish();
}
