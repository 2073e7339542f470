import {
  type DescField,
  type DescMessage,
  fromBinary,
  type JsonValue,
  ScalarType,
  toJson,
} from "@bufbuild/protobuf";
import { type ReflectMessage, reflect } from "@bufbuild/protobuf/reflect";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import { FieldDescriptorProto_Label } from "@bufbuild/protobuf/wkt";

/**
 * Decodes one proto record with the stream's row type, strictly: every known field must carry the wire type
 * its declaration implies (protobuf decoders otherwise misread such bytes silently) and every proto2
 * `required` field must be set. Returns the record as proto JSON; throws an `Error` saying what is wrong.
 */
export function decodeRow(message: DescMessage, bytes: Uint8Array): JsonValue {
  checkWireTypes(message, new BinaryReader(bytes), bytes.length);
  const decoded = fromBinary(message, bytes);
  const row = reflect(message, decoded);
  checkRequired(row);
  for (const nested of nestedMessages(row)) setReadDefaults(nested);
  let json: JsonValue;
  try {
    // Proto field names: they are the table's column names (descriptors often lack json_name). Implicit
    // fields (proto3 scalars, lists, maps) are emitted, so a nested message shows what a reader gets.
    json = toJson(message, decoded, { useProtoFieldName: true, alwaysEmitImplicit: true });
  } catch {
    // Values proto JSON cannot express (NaN in an int field cannot occur; unknown enum names can) keep null.
    return null;
  }
  // The row's own fields keep their absence: an absent field is a null (or defaulted) column.
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    for (const field of row.fields) if (!row.isSet(field)) delete json[field.name];
  }
  return json;
}

function checkWireTypes(message: DescMessage, reader: BinaryReader, end: number): void {
  while (reader.pos < end) {
    const [number, wireType] = reader.tag();
    const field = message.fields.find((candidate) => candidate.number === number);
    if (!field) {
      reader.skip(wireType, number);
      continue;
    }
    const allowed = allowedWireTypes(field);
    if (!allowed.includes(wireType)) {
      throw new Error(
        `field "${field.name}" (#${number}) of ${message.typeName} has wire type ${wireType}, expected ${allowed.join(" or ")}`,
      );
    }
    const nested = nestedMessage(field);
    if (nested && wireType === WireType.LengthDelimited) {
      const length = reader.uint32();
      const nestedEnd = reader.pos + length;
      if (nestedEnd > end) throw new Error(`field "${field.name}" of ${message.typeName} is truncated`);
      checkWireTypes(nested, reader, nestedEnd);
    } else {
      reader.skip(wireType, number);
    }
  }
  if (reader.pos !== end) throw new Error(`${message.typeName} is truncated`);
}

function nestedMessage(field: DescField): DescMessage | undefined {
  if (field.fieldKind === "message") return field.message;
  if (field.fieldKind === "list" && field.listKind === "message") return field.message;
  return undefined;
}

function allowedWireTypes(field: DescField): WireType[] {
  switch (field.fieldKind) {
    case "scalar":
      return [scalarWireType(field.scalar)];
    case "enum":
      return [WireType.Varint];
    case "message":
      return [field.delimitedEncoding ? WireType.StartGroup : WireType.LengthDelimited];
    case "map":
      return [WireType.LengthDelimited];
    case "list":
      if (field.listKind === "message") {
        return [field.delimitedEncoding ? WireType.StartGroup : WireType.LengthDelimited];
      }
      if (field.listKind === "enum") return [WireType.Varint, WireType.LengthDelimited];
      {
        const element = scalarWireType(field.scalar);
        // Packed and unpacked encodings are both valid for repeated numeric fields.
        return element === WireType.LengthDelimited ? [element] : [element, WireType.LengthDelimited];
      }
  }
}

function scalarWireType(scalar: ScalarType): WireType {
  switch (scalar) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    default:
      return WireType.Varint;
  }
}

/**
 * Every proto2 `required` field set, in the row and in every message inside it: singular, in a `oneof`,
 * in a list or as a map value. Read through reflection, which knows where each kind of field lives.
 */
function checkRequired(row: ReflectMessage): void {
  for (const field of row.fields) {
    const set = row.isSet(field);
    if (field.proto.label === FieldDescriptorProto_Label.REQUIRED && !set) {
      throw new Error(`required field "${field.name}" of ${row.desc.typeName} is missing`);
    }
    if (!set) continue;
    if (field.fieldKind === "message") checkRequired(row.get(field));
    else if (field.fieldKind === "list" && field.listKind === "message") {
      for (const item of row.get(field)) checkRequired(item as ReflectMessage);
    } else if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const value of row.get(field).values()) checkRequired(value as ReflectMessage);
    }
  }
}

/** The messages held by `message`'s set fields: singular, in a `oneof`, in a list or as map values. */
function nestedMessages(message: ReflectMessage): ReflectMessage[] {
  const found: ReflectMessage[] = [];
  for (const field of message.fields) {
    if (!message.isSet(field)) continue;
    if (field.fieldKind === "message") found.push(message.get(field));
    else if (field.fieldKind === "list" && field.listKind === "message") {
      for (const item of message.get(field)) found.push(item as ReflectMessage);
    } else if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const value of message.get(field).values()) found.push(value as ReflectMessage);
    }
  }
  return found;
}

/**
 * Gives every unset scalar and enum field of a nested message (and of the messages inside it) the value a
 * reader gets for it, so the recording shows it. A descriptor does not say its syntax and the row type is
 * built as proto2 when it can be, so a proto3 writer's zeros (omitted on the wire) would otherwise read as
 * absent: a zero google.protobuf.Timestamp nested in the row was recorded as `{}` instead of
 * `{ seconds: "0", nanos: 0 }`.
 */
function setReadDefaults(message: ReflectMessage): void {
  for (const field of message.fields) {
    if (field.oneof !== undefined || message.isSet(field)) continue;
    if (field.fieldKind === "scalar" || field.fieldKind === "enum") message.set(field, message.get(field));
  }
  for (const nested of nestedMessages(message)) setReadDefaults(nested);
}
