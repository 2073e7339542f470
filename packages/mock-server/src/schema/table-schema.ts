import { type DescMessage, toBinary } from "@bufbuild/protobuf";
import { type DescriptorProto, DescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { rowMessageFromDescriptor } from "../descriptor/row-message.js";
import type { Column } from "./column-type.js";
import { columnsFromMessage } from "./columns-from-message.js";
import { parseColumnText } from "./parse-type-text.js";
import type { ColumnsDeclaration, TableDeclaration } from "./table-declaration.js";

/** A declared table as the checks use it: its name and its columns, in table order. */
export interface TableSchema {
  readonly name: string;
  readonly columns: readonly Column[];
}

/**
 * Turns a declaration into the table's columns, whichever form it takes, so one checker serves both.
 * Throws a `TypeError` naming the table (and the column) and what is wrong, at declaration time: a bad
 * declaration must fail the test that made it, not a stream later.
 */
export function tableSchemaOf(name: string, declaration: TableDeclaration): TableSchema {
  const fail = (what: string) => new TypeError(`declared table ${name}: ${what}`);
  if (
    typeof name !== "string" ||
    name.split(".").length !== 3 ||
    name.split(".").some((part) => !part.trim())
  ) {
    throw new TypeError(`declared table ${JSON.stringify(name)}: the name must be catalog.schema.table`);
  }
  if (typeof declaration !== "object" || declaration === null) {
    throw fail("expected { columns } or { descriptor }");
  }
  if ("columns" in declaration) return { name, columns: columnsOf(declaration.columns, fail) };
  if ("descriptor" in declaration) {
    let message: DescMessage;
    try {
      message = messageOf(declaration.descriptor);
    } catch (error) {
      throw fail(`{ descriptor }: ${(error as Error).message}`);
    }
    try {
      return { name, columns: columnsFromMessage(message) };
    } catch (error) {
      throw fail((error as Error).message);
    }
  }
  throw fail("expected { columns } or { descriptor }");
}

function columnsOf(declared: ColumnsDeclaration, fail: (what: string) => TypeError): Column[] {
  if (typeof declared !== "object" || declared === null || Array.isArray(declared)) {
    throw fail("columns must be an object of column name to type");
  }
  const columns: Column[] = [];
  for (const [column, spec] of Object.entries(declared)) {
    const text = typeof spec === "string" ? spec : spec?.type;
    const nullable = typeof spec === "string" ? undefined : spec?.nullable;
    if (nullable !== undefined && typeof nullable !== "boolean") {
      throw fail(`column "${column}": nullable must be a boolean`);
    }
    let parsed: ReturnType<typeof parseColumnText>;
    try {
      parsed = parseColumnText(text as string);
    } catch (error) {
      throw fail(`column "${column}": ${(error as Error).message}`);
    }
    if (parsed.notNull && nullable === true) throw fail(`column "${column}": NOT NULL and nullable: true`);
    columns.push({ name: column, type: parsed.type, nullable: !parsed.notNull && nullable !== false });
  }
  if (columns.length === 0) throw fail("a table needs at least one column");
  return columns;
}

/** The message type of a descriptor given as a protobuf-es message type, a DescriptorProto or its bytes. */
function messageOf(descriptor: DescMessage | DescriptorProto | Uint8Array): DescMessage {
  if (descriptor instanceof Uint8Array) return rowMessageFromDescriptor(descriptor).message;
  if (typeof descriptor === "object" && descriptor !== null) {
    if ("kind" in descriptor && descriptor.kind === "message") return descriptor;
    if ("$typeName" in descriptor && descriptor.$typeName === DescriptorProtoSchema.typeName) {
      return rowMessageFromDescriptor(toBinary(DescriptorProtoSchema, descriptor)).message;
    }
  }
  throw new Error(
    "must be a protobuf-es message type (DescMessage), a DescriptorProto or serialized DescriptorProto bytes",
  );
}
