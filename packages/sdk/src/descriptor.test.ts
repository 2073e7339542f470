import type { DescMessage } from "@bufbuild/protobuf";
import { create, createFileRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  DescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  file_google_protobuf_timestamp,
} from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { descriptorBytesFromMessage } from "./descriptor.js";
import { checkDescriptorBytes } from "./descriptor-check.js";

const { STRING: TYPE_STRING, MESSAGE: TYPE_MESSAGE, ENUM: TYPE_ENUM } = FieldDescriptorProto_Type;
const optional = FieldDescriptorProto_Label.OPTIONAL;

// pkg.Row uses a nested type, a sibling message (with its own nested type), a sibling enum and an import.
const file = create(FileDescriptorProtoSchema, {
  name: "row.proto",
  package: "pkg",
  syntax: "proto2",
  dependency: ["google/protobuf/timestamp.proto"],
  messageType: [
    {
      name: "Row",
      field: [
        { name: "name", number: 1, type: TYPE_STRING, label: optional },
        { name: "address", number: 2, type: TYPE_MESSAGE, typeName: ".pkg.Address", label: optional },
        { name: "inner", number: 3, type: TYPE_MESSAGE, typeName: ".pkg.Row.Inner", label: optional },
        { name: "color", number: 4, type: TYPE_ENUM, typeName: ".pkg.Color", label: optional },
        {
          name: "at",
          number: 5,
          type: TYPE_MESSAGE,
          typeName: ".google.protobuf.Timestamp",
          label: optional,
        },
      ],
      nestedType: [
        {
          name: "Inner",
          field: [{ name: "home", number: 1, type: TYPE_MESSAGE, typeName: ".pkg.Address", label: optional }],
        },
      ],
    },
    {
      name: "Address",
      field: [
        { name: "city", number: 1, type: TYPE_STRING, label: optional },
        { name: "zip", number: 2, type: TYPE_MESSAGE, typeName: ".pkg.Address.Zip", label: optional },
      ],
      nestedType: [{ name: "Zip", field: [{ name: "code", number: 1, type: TYPE_STRING, label: optional }] }],
    },
  ],
  enumType: [{ name: "Color", value: [{ name: "RED", number: 0 }] }],
});
const registry = createFileRegistry(file, (name) =>
  name === "google/protobuf/timestamp.proto" ? file_google_protobuf_timestamp : undefined,
);
const row = registry.getMessage("pkg.Row") as DescMessage;

describe("descriptorBytesFromMessage", () => {
  const derived = fromBinary(DescriptorProtoSchema, descriptorBytesFromMessage(row));

  it("nests every type the message uses inside it", () => {
    expect(derived.name).toBe("Row");
    expect(derived.nestedType.map((t) => t.name)).toEqual(["Inner", "Address", "Timestamp"]);
    expect(derived.enumType.map((t) => t.name)).toEqual(["Color"]);
  });

  it("rewrites every reference to the nested copy", () => {
    const typeNames = (fields: { name: string; typeName?: string }[]) =>
      Object.fromEntries(fields.filter((f) => f.typeName).map((f) => [f.name, f.typeName]));
    expect(typeNames(derived.field)).toEqual({
      address: ".pkg.Row.Address",
      inner: ".pkg.Row.Inner",
      color: ".pkg.Row.Color",
      at: ".pkg.Row.Timestamp",
    });
    const [inner, address] = derived.nestedType;
    expect(typeNames(inner!.field)).toEqual({ home: ".pkg.Row.Address" });
    expect(typeNames(address!.field)).toEqual({ zip: ".pkg.Row.Address.Zip" });
  });

  it("gives bytes that pass the pre-connection check", () => {
    expect(() => checkDescriptorBytes(descriptorBytesFromMessage(row))).not.toThrow();
  });

  it("leaves a self-contained message as it is", () => {
    const zip = registry.getMessage("pkg.Address.Zip") as DescMessage;
    expect(descriptorBytesFromMessage(zip)).toEqual(toBinary(DescriptorProtoSchema, zip.proto));
  });
});

describe("checkDescriptorBytes", () => {
  it("refuses a descriptor that refers to types outside it, naming the field", () => {
    expect(() => checkDescriptorBytes(toBinary(DescriptorProtoSchema, row.proto))).toThrow(
      /field Row.address refers to .pkg.Address, which is not declared inside Row/,
    );
  });

  it("refuses bytes that are not a DescriptorProto", () => {
    expect(() => checkDescriptorBytes(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(
      /not a serialized google.protobuf.DescriptorProto/,
    );
  });

  it("refuses a descriptor without a name", () => {
    expect(() => checkDescriptorBytes(new Uint8Array())).toThrow(/no message name/);
  });
});
