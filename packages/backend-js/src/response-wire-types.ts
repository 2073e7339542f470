import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** The wire type each known field must have, and for messages, their own fields. */
interface FieldShape {
  readonly wireType: WireType;
  readonly fields?: ReadonlyMap<number, FieldShape>;
}

const varint: FieldShape = { wireType: WireType.Varint };
const message = (fields: [number, FieldShape][]): FieldShape => ({
  wireType: WireType.LengthDelimited,
  fields: new Map(fields),
});

/** `EphemeralStreamResponse` as PROTOCOL.md B §1.2 defines it (unknown fields are allowed anywhere). */
const response = message([
  [1, message([[1, { wireType: WireType.LengthDelimited }]])], // create_stream_response.stream_id
  [2, message([[1, varint]])], // ingest_record_response.durability_ack_up_to_offset
  [
    3,
    message([
      [
        1,
        message([
          [1, varint],
          [2, varint],
        ]),
      ],
    ]),
  ], // close_stream_signal.duration
]);

/**
 * Whether every known field of a server message has the wire type the schema gives it. protobuf-es does
 * not check this for scalar fields (a fixed32 where an int64 belongs decodes as a number), but prost, the
 * reference core's decoder, refuses it: such a message is malformed, not an ack. Unknown fields are
 * skipped, as protobuf requires. Truncated or otherwise broken bytes also give `false`.
 */
export function hasExpectedWireTypes(bytes: Uint8Array): boolean {
  try {
    return fieldsMatch(
      new BinaryReader(bytes),
      bytes.length,
      response.fields as ReadonlyMap<number, FieldShape>,
    );
  } catch {
    return false;
  }
}

function fieldsMatch(reader: BinaryReader, end: number, fields: ReadonlyMap<number, FieldShape>): boolean {
  while (reader.pos < end) {
    const [fieldNo, wireType] = reader.tag();
    const shape = fields.get(fieldNo);
    if (shape === undefined) {
      reader.skip(wireType);
      continue;
    }
    if (shape.wireType !== wireType) return false;
    if (shape.fields === undefined) {
      reader.skip(wireType);
      continue;
    }
    const length = reader.uint32();
    const nestedEnd = reader.pos + length;
    if (nestedEnd > end || !fieldsMatch(reader, nestedEnd, shape.fields)) return false;
  }
  return reader.pos === end;
}
