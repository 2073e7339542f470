/** A Unity Catalog type without parameters, by its canonical name in lower case. */
export type PrimitiveKind =
  | "string"
  | "bigint"
  | "int"
  | "smallint"
  | "tinyint"
  | "boolean"
  | "double"
  | "float"
  | "date"
  | "timestamp"
  | "timestamp_ntz"
  | "binary"
  | "variant";

/** A column's type once parsed: what the record checks compare values with. */
export type ColumnType =
  | { readonly kind: PrimitiveKind }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "array"; readonly element: ColumnType }
  | { readonly kind: "map"; readonly key: ColumnType; readonly value: ColumnType }
  | { readonly kind: "struct"; readonly fields: readonly Column[] };

/** A column of a table, or a field of a STRUCT. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** False for `NOT NULL`: null or a missing value is refused. */
  readonly nullable: boolean;
}

/** The type as Unity Catalog writes it, for messages: `STRUCT<zip: STRING NOT NULL>`. */
export function typeText(type: ColumnType): string {
  switch (type.kind) {
    case "decimal":
      return `DECIMAL(${type.precision},${type.scale})`;
    case "array":
      return `ARRAY<${typeText(type.element)}>`;
    case "map":
      return `MAP<${typeText(type.key)}, ${typeText(type.value)}>`;
    case "struct":
      return `STRUCT<${type.fields.map((field) => `${field.name}: ${typeText(field.type)}${field.nullable ? "" : " NOT NULL"}`).join(", ")}>`;
    default:
      return type.kind.toUpperCase();
  }
}
