import { ZerobusError } from "./zerobus-error.js";

/** The three parts of a Unity Catalog table name. */
export interface TableNameParts {
  catalog: string;
  schema: string;
  table: string;
}

/**
 * Splits `catalog.schema.table`, refusing anything but three non-empty parts with `invalid_argument`.
 * There is no quoting: a dot always separates parts (PROTOCOL.md B §3.3).
 */
export function parseTableName(tableName: unknown): TableNameParts {
  if (typeof tableName !== "string") {
    throw new ZerobusError("invalid_argument", `table name must be a string "catalog.schema.table"`);
  }
  const parts = tableName.split(".");
  if (parts.length !== 3) {
    throw new ZerobusError(
      "invalid_argument",
      `table name "${tableName}" must have exactly 3 parts (catalog.schema.table), found ${parts.length}`,
    );
  }
  const [catalog, schema, table] = parts as [string, string, string];
  for (const [label, value] of [
    ["catalog", catalog],
    ["schema", schema],
    ["table", table],
  ] as const) {
    if (value.trim() === "") {
      throw new ZerobusError("invalid_argument", `table name "${tableName}": the ${label} part is empty`);
    }
  }
  return { catalog, schema, table };
}

/** Validates a table name and returns it unchanged. */
export function validateTableName(tableName: unknown): string {
  parseTableName(tableName);
  return tableName as string;
}
