import type { DescMessage } from "@bufbuild/protobuf";
import { validateTableName, ZerobusError } from "@zerobus/core";

/** The `table` argument of `createStream…`: a name, or a name with a Proto descriptor. */
export type TableInput =
  | string
  | {
      tableName: string;
      /** Serialized `DescriptorProto` bytes, or a protobuf-es message descriptor (the SDK derives the bytes). */
      descriptorProto?: Uint8Array | DescMessage;
    };

/** A validated table argument. */
export interface ResolvedTable {
  tableName: string;
  descriptorBytes?: Uint8Array;
  message?: DescMessage;
}

const isDescMessage = (value: unknown): value is DescMessage =>
  typeof value === "object" &&
  value !== null &&
  (value as DescMessage).kind === "message" &&
  typeof (value as DescMessage).typeName === "string";

/**
 * Validates the table argument and derives the descriptor bytes. The protobuf runtime loads only when a
 * descriptor is given, so JSON-only users never pay for it.
 */
export async function resolveTable(table: unknown): Promise<ResolvedTable> {
  if (typeof table === "string") return { tableName: validateTableName(table) };
  if (typeof table !== "object" || table === null) {
    throw new ZerobusError(
      "invalid_argument",
      'table must be "catalog.schema.table" or { tableName, descriptorProto? }',
    );
  }
  const { tableName, descriptorProto } = table as { tableName?: unknown; descriptorProto?: unknown };
  validateTableName(tableName);
  if (descriptorProto === undefined) return { tableName: tableName as string };
  if (descriptorProto instanceof Uint8Array) {
    const { checkDescriptorBytes } = await import("./descriptor-check.js");
    checkDescriptorBytes(descriptorProto);
    return { tableName: tableName as string, descriptorBytes: descriptorProto };
  }
  if (isDescMessage(descriptorProto)) {
    const { descriptorBytesFromMessage } = await import("./descriptor.js");
    return {
      tableName: tableName as string,
      descriptorBytes: descriptorBytesFromMessage(descriptorProto),
      message: descriptorProto,
    };
  }
  throw new ZerobusError(
    "invalid_argument",
    "table.descriptorProto must be DescriptorProto bytes (Uint8Array) or a protobuf-es message descriptor (DescMessage)",
  );
}
