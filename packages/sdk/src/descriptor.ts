import type { DescEnum, DescMessage } from "@bufbuild/protobuf";
import { clone, toBinary } from "@bufbuild/protobuf";
import type { DescriptorProto } from "@bufbuild/protobuf/wkt";
import { DescriptorProtoSchema, EnumDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { ZerobusError } from "@zerobus/core";

/**
 * Derives the `DescriptorProto` bytes the service expects for a Proto stream: ONE message descriptor that
 * holds every type it uses (PROTOCOL.md A.13, B §7.2). Types declared inside the message stay where they
 * are; types declared elsewhere (siblings, imports, well-known types) are copied in as nested types and
 * every reference to them is rewritten, so the server can resolve each field without other files.
 */
export function descriptorBytesFromMessage(root: DescMessage): Uint8Array {
  const external = topLevelExternals(root, referencedTypes(root));
  const renames = new Map<string, string>();
  const proto = clone(DescriptorProtoSchema, root.proto);
  const taken = new Set([...proto.nestedType.map((t) => t.name), ...proto.enumType.map((t) => t.name)]);
  for (const type of external) {
    if (taken.has(type.name)) {
      throw new ZerobusError(
        "invalid_argument",
        `descriptor of ${root.typeName}: ${type.typeName} cannot be nested because ${root.typeName} already declares a type named ${type.name}`,
      );
    }
    taken.add(type.name);
    renames.set(type.typeName, `${root.typeName}.${type.name}`);
    if (type.kind === "message") proto.nestedType.push(clone(DescriptorProtoSchema, type.proto));
    else proto.enumType.push(clone(EnumDescriptorProtoSchema, type.proto));
  }
  rewriteTypeNames(proto, renames);
  return toBinary(DescriptorProtoSchema, proto);
}

/** Every message and enum reachable from `root`'s fields (and its nested messages' fields). */
function referencedTypes(root: DescMessage): Map<string, DescMessage | DescEnum> {
  const found = new Map<string, DescMessage | DescEnum>();
  const visited = new Set<string>();
  const visit = (message: DescMessage): void => {
    if (visited.has(message.typeName)) return;
    visited.add(message.typeName);
    for (const nested of message.nestedMessages) visit(nested);
    for (const field of message.fields) {
      const type = field.message ?? field.enum;
      if (type === undefined) continue;
      found.set(type.typeName, type);
      if (type.kind === "message") visit(type);
    }
  };
  visit(root);
  return found;
}

const isInside = (typeName: string, scope: string): boolean =>
  typeName === scope || typeName.startsWith(`${scope}.`);

/** The referenced types outside `root`, minus those that come along inside another such type. */
function topLevelExternals(
  root: DescMessage,
  types: Map<string, DescMessage | DescEnum>,
): (DescMessage | DescEnum)[] {
  const outside = [...types.values()].filter((t) => !isInside(t.typeName, root.typeName));
  return outside.filter((t) => !outside.some((other) => other !== t && isInside(t.typeName, other.typeName)));
}

function rewriteTypeNames(message: DescriptorProto, renames: Map<string, string>): void {
  for (const field of message.field) {
    if (!field.typeName) continue;
    const name = field.typeName.replace(/^\./, "");
    for (const [from, to] of renames) {
      if (isInside(name, from)) {
        field.typeName = `.${to}${name.slice(from.length)}`;
        break;
      }
    }
  }
  for (const nested of message.nestedType) rewriteTypeNames(nested, renames);
}
