import { fromBinary } from "@bufbuild/protobuf";
import type { DescriptorProto } from "@bufbuild/protobuf/wkt";
import { DescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { ZerobusError } from "@zerobus/core";

/**
 * Checks descriptor bytes given by the user before connecting: they must decode as a `DescriptorProto`
 * with a name, and every message or enum a field refers to must be declared inside it (PROTOCOL.md A.13):
 * the server sees only this one descriptor.
 */
export function checkDescriptorBytes(bytes: Uint8Array): void {
  let proto: DescriptorProto;
  try {
    proto = fromBinary(DescriptorProtoSchema, bytes);
  } catch (cause) {
    throw new ZerobusError(
      "invalid_argument",
      "descriptorProto is not a serialized google.protobuf.DescriptorProto",
      {
        cause,
      },
    );
  }
  if (!proto.name) {
    throw new ZerobusError(
      "invalid_argument",
      "descriptorProto has no message name (is it a FileDescriptorSet?)",
    );
  }
  const declared = new Set<string>();
  collectDeclared(proto, proto.name, declared);
  for (const [path, typeName] of fieldReferences(proto, proto.name)) {
    const segments = typeName.replace(/^\./, "").split(".");
    const start = segments.indexOf(proto.name);
    const resolved = start >= 0 && declared.has(segments.slice(start).join("."));
    if (!resolved) {
      throw new ZerobusError(
        "invalid_argument",
        `descriptorProto field ${path} refers to ${typeName}, which is not declared inside ${proto.name}; nest every type the message uses inside it`,
      );
    }
  }
}

function collectDeclared(message: DescriptorProto, path: string, into: Set<string>): void {
  into.add(path);
  for (const e of message.enumType) into.add(`${path}.${e.name}`);
  for (const nested of message.nestedType) collectDeclared(nested, `${path}.${nested.name}`, into);
}

function* fieldReferences(message: DescriptorProto, path: string): Generator<[string, string]> {
  for (const field of message.field) if (field.typeName) yield [`${path}.${field.name}`, field.typeName];
  for (const nested of message.nestedType) yield* fieldReferences(nested, `${path}.${nested.name}`);
}
