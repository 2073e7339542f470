import { create, createFileRegistry, type DescMessage, fromBinary } from "@bufbuild/protobuf";
import {
  type DescriptorProto,
  DescriptorProtoSchema,
  FileDescriptorProtoSchema,
} from "@bufbuild/protobuf/wkt";

/** A PROTO stream's row type: the descriptor as sent, and a message type built from it. */
export interface RowMessage {
  descriptor: DescriptorProto;
  message: DescMessage;
}

/**
 * Decodes `descriptor_proto` bytes as a `DescriptorProto` and builds a message type from it, with every
 * nested type resolved inside the message (PROTOCOL.md §7.2). Throws an `Error` whose message says what is
 * wrong: bytes that are not a DescriptorProto, a message without a name, or a reference to a type outside
 * the message (imports and sibling messages are not part of a Zerobus descriptor).
 */
export function rowMessageFromDescriptor(bytes: Uint8Array): RowMessage {
  let descriptor: DescriptorProto;
  try {
    descriptor = fromBinary(DescriptorProtoSchema, bytes);
  } catch (error) {
    throw new Error(`descriptor_proto is not a serialized google.protobuf.DescriptorProto: ${String(error)}`);
  }
  if (!descriptor.name) throw new Error("descriptor_proto has no message name");
  const packageName = packageOf(descriptor);
  const errors: string[] = [];
  // A DescriptorProto does not say its syntax; proto3 `optional` fields only build in a proto3 file.
  for (const syntax of ["proto2", "proto3"]) {
    try {
      const file = create(FileDescriptorProtoSchema, {
        name: "zerobus_mock_row.proto",
        package: packageName,
        syntax,
        messageType: [descriptor],
      });
      const registry = createFileRegistry(file, () => undefined);
      const message = registry.getMessage(
        packageName ? `${packageName}.${descriptor.name}` : descriptor.name,
      );
      if (message) return { descriptor, message };
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  throw new Error(`descriptor_proto for "${descriptor.name}" cannot be resolved on its own: ${errors[0]}`);
}

/**
 * The package the descriptor's fully-qualified references imply (`.pkg.Row.Nested` → `pkg`), so they
 * resolve when the message is placed in a file of that package.
 */
function packageOf(descriptor: DescriptorProto): string {
  const marker = `.${descriptor.name}`;
  for (const typeName of typeNames(descriptor)) {
    if (!typeName.startsWith(".")) continue;
    const at = typeName.endsWith(marker) ? typeName.length - marker.length : typeName.indexOf(`${marker}.`);
    if (at >= 0) return typeName.slice(1, at);
  }
  return "";
}

function* typeNames(descriptor: DescriptorProto): Generator<string> {
  for (const field of descriptor.field) if (field.typeName) yield field.typeName;
  for (const nested of descriptor.nestedType) yield* typeNames(nested);
}
