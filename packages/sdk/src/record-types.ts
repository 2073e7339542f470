import type { DescMessage, MessageShape } from "@bufbuild/protobuf";

/**
 * What a JSON stream takes: a JSON object as text, or an object the SDK serialises with `JSON.stringify`.
 * Protobuf messages, byte arrays and arrays, maps or sets (anything iterable) are excluded at compile time
 * (and refused at run time). A row type (`createStream<SensorReading>(…)`) narrows a stream to one shape.
 */
export type JsonRecord =
  | string
  | (object & {
      readonly $typeName?: never;
      readonly BYTES_PER_ELEMENT?: never;
      readonly [Symbol.iterator]?: never;
    });

/** What a Proto stream created with descriptor bytes takes: encoded messages. */
export type ProtoBytesRecord = Uint8Array;

/** What a Proto stream created with a `DescMessage` takes: encoded bytes or messages of that type. */
export type ProtoRecord<Desc extends DescMessage> = Uint8Array | MessageShape<Desc>;
