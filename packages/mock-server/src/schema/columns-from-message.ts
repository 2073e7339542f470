import { type DescField, type DescMessage, ScalarType } from "@bufbuild/protobuf";
import { FieldDescriptorProto_Label } from "@bufbuild/protobuf/wkt";
import type { Column, ColumnType } from "./column-type.js";

/**
 * The columns a protobuf row type stands for, one per field by its proto name, typed as Unity Catalog
 * types the way Zerobus pairs them: a 32-bit signed integer is INT, a 64-bit one BIGINT; uint32 is BIGINT
 * (its values pass INT's range); uint64 and fixed64 are BIGINT too (no wider integer column exists, the
 * record check refuses values past its range); string STRING; bool BOOLEAN; double DOUBLE; float FLOAT;
 * bytes BINARY; an enum STRING (proto JSON, which the recording shows, gives its name); a message STRUCT;
 * a repeated field ARRAY; a map MAP. A proto2 `required` field is a NOT NULL column; every other field may
 * be absent from a record, so its column takes null. Throws an `Error` for a message that contains itself
 * (no table type can).
 */
export function columnsFromMessage(message: DescMessage): Column[] {
  return fieldsOf(message, [message.typeName]);
}

function fieldsOf(message: DescMessage, enclosing: readonly string[]): Column[] {
  return message.fields.map((field) => ({
    name: field.name,
    type: fieldType(field, enclosing),
    nullable: field.proto.label !== FieldDescriptorProto_Label.REQUIRED,
  }));
}

function fieldType(field: DescField, enclosing: readonly string[]): ColumnType {
  switch (field.fieldKind) {
    case "scalar":
      return scalarType(field.scalar);
    case "enum":
      return { kind: "string" };
    case "message":
      return structOf(field.message, enclosing);
    case "list":
      return {
        kind: "array",
        element:
          field.listKind === "scalar"
            ? scalarType(field.scalar)
            : field.listKind === "enum"
              ? { kind: "string" }
              : structOf(field.message, enclosing),
      };
    case "map":
      return {
        kind: "map",
        key: scalarType(field.mapKey),
        value:
          field.mapKind === "scalar"
            ? scalarType(field.scalar)
            : field.mapKind === "enum"
              ? { kind: "string" }
              : structOf(field.message, enclosing),
      };
  }
}

function structOf(message: DescMessage, enclosing: readonly string[]): ColumnType {
  if (enclosing.includes(message.typeName)) {
    throw new Error(`${message.typeName} contains itself (${[...enclosing, message.typeName].join(" > ")})`);
  }
  return { kind: "struct", fields: fieldsOf(message, [...enclosing, message.typeName]) };
}

/** The Unity Catalog type of a proto scalar (the pairing above). */
export function scalarType(scalar: ScalarType): ColumnType {
  switch (scalar) {
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { kind: "int" };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { kind: "bigint" };
    case ScalarType.STRING:
      return { kind: "string" };
    case ScalarType.BOOL:
      return { kind: "boolean" };
    case ScalarType.DOUBLE:
      return { kind: "double" };
    case ScalarType.FLOAT:
      return { kind: "float" };
    case ScalarType.BYTES:
      return { kind: "binary" };
  }
}
