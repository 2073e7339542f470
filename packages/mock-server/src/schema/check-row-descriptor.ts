import type { DescMessage } from "@bufbuild/protobuf";
import { type Column, type ColumnType, typeText } from "./column-type.js";
import { columnsFromMessage } from "./columns-from-message.js";
import type { TableSchema } from "./table-schema.js";

/**
 * Column types that take values of a proto field of another type, beyond the same type. What Zerobus
 * documents for proto rows: DATE from int32 (days), TIMESTAMP/TIMESTAMP_NTZ from int64 (microseconds),
 * narrower integers from int32; DOUBLE from float and BIGINT from int32 widen without loss; DECIMAL from
 * a string or a number and VARIANT from a string (its JSON text) are kept permissive, as the service's
 * exact rule is not documented.
 */
const ALSO_TAKES: Readonly<Partial<Record<ColumnType["kind"], readonly ColumnType["kind"][]>>> = {
  smallint: ["int"],
  tinyint: ["int"],
  date: ["int"],
  bigint: ["int"],
  timestamp: ["bigint", "int"],
  timestamp_ntz: ["bigint", "int"],
  double: ["float"],
  decimal: ["string", "double", "float", "int", "bigint"],
  variant: ["string"],
};

/**
 * Checks a PROTO stream's row type against the declared columns, as the service does at create: every
 * proto field must be a column (by name) of a type that takes the field's values, recursively into
 * messages, and every NOT NULL column must have a field. Returns what is wrong, or undefined.
 */
export function checkRowDescriptor(schema: TableSchema, message: DescMessage): string | undefined {
  let fields: Column[];
  try {
    fields = columnsFromMessage(message);
  } catch (error) {
    return `the row type cannot be a row of ${schema.name}: ${(error as Error).message}`;
  }
  return checkFields(schema.columns, fields, "", `${message.typeName} for ${schema.name}`);
}

function checkFields(
  columns: readonly Column[],
  fields: readonly Column[],
  prefix: string,
  where: string,
): string | undefined {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const byName = new Map(columns.map((column) => [column.name.toLowerCase(), column]));
  for (const field of fields) {
    const column = byName.get(field.name.toLowerCase());
    if (!column) {
      return `field "${at(field.name)}" of ${where} is not a column (${prefix ? `fields of ${prefix}` : "columns"}: ${columns.map((c) => c.name).join(", ")})`;
    }
    const problem = fits(column.type, field.type, at(field.name), where);
    if (problem) return problem;
  }
  const named = new Set(fields.map((field) => field.name.toLowerCase()));
  for (const column of columns) {
    if (!column.nullable && !named.has(column.name.toLowerCase())) {
      return `column "${at(column.name)}" is NOT NULL but ${where} has no field "${at(column.name)}"`;
    }
  }
  return undefined;
}

function fits(column: ColumnType, field: ColumnType, path: string, where: string): string | undefined {
  const mismatch = () =>
    `field "${path}" of ${where} is ${typeText(field)}, which column "${path}" (${typeText(column)}) does not take`;
  if (column.kind === "array") {
    return field.kind === "array" ? fits(column.element, field.element, `${path}[]`, where) : mismatch();
  }
  if (column.kind === "map") {
    if (field.kind !== "map") return mismatch();
    return (
      fits(column.key, field.key, `${path}{key}`, where) ??
      fits(column.value, field.value, `${path}{}`, where)
    );
  }
  if (column.kind === "struct") {
    return field.kind === "struct" ? checkFields(column.fields, field.fields, path, where) : mismatch();
  }
  if (column.kind === field.kind || ALSO_TAKES[column.kind]?.includes(field.kind)) return undefined;
  return mismatch();
}
