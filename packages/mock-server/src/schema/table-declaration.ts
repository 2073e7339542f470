import type { DescMessage } from "@bufbuild/protobuf";
import type { DescriptorProto } from "@bufbuild/protobuf/wkt";

/**
 * A column's Unity Catalog type, as Unity Catalog writes it in `type_text` (case-insensitive):
 * `STRING`, `BIGINT`, `INT`, `SMALLINT`, `TINYINT`, `BOOLEAN`, `DOUBLE`, `FLOAT`, `DECIMAL(p,s)`, `DATE`,
 * `TIMESTAMP`, `TIMESTAMP_NTZ`, `BINARY`, `VARIANT`, `ARRAY<…>`, `MAP<…, …>`, `STRUCT<name: …, …>`.
 */
export type UnityCatalogType = string;

/** One column: its Unity Catalog type, and whether it takes null (default true, as in Unity Catalog). */
export interface ColumnDeclaration {
  readonly type: UnityCatalogType;
  readonly nullable?: boolean;
}

/**
 * A table's columns by name, in table order: a type name (`"STRING NOT NULL"` for a column that refuses
 * null), or a type with `nullable`.
 */
export type ColumnsDeclaration = Readonly<Record<string, UnityCatalogType | ColumnDeclaration>>;

/**
 * What a test declares of a table: its columns, or the protobuf message its rows are (a protobuf-es
 * message type, a `DescriptorProto`, or a serialized `DescriptorProto`, as a PROTO stream's create sends it).
 */
export type TableDeclaration =
  | { readonly columns: ColumnsDeclaration }
  | { readonly descriptor: DescMessage | DescriptorProto | Uint8Array };
