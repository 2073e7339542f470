import type { ColumnsDeclaration, TableDeclaration } from "../schema/table-declaration.js";
import { badRequest } from "./admin-request-error.js";

const EXAMPLE = '{ "columns": { "device": "STRING", "reading": "DOUBLE" } } or { "descriptor": "<base64>" }';

/**
 * Reads a table declaration sent as JSON: `{ "columns": { name: type | { type, nullable } } }`, or
 * `{ "descriptor": "<base64 of a serialized DescriptorProto>" }` (the bytes a PROTO stream's create
 * carries). The columns' types are checked by `server.declareTable`; this only converts. `where` names the
 * value in errors.
 */
export function declarationFromJson(value: unknown, where = "the body"): TableDeclaration {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(`${where} must be a table declaration: ${EXAMPLE}`);
  }
  const { columns, descriptor, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) {
    throw badRequest(
      `${where}: unknown key ${JSON.stringify(extra)} (a declaration has columns or descriptor)`,
    );
  }
  if ((columns === undefined) === (descriptor === undefined)) {
    throw badRequest(
      `${where} must have columns or descriptor, not ${columns === undefined ? "neither" : "both"}`,
    );
  }
  if (descriptor !== undefined) {
    if (typeof descriptor !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(descriptor)) {
      throw badRequest(`${where}.descriptor must be a base64 string (a serialized DescriptorProto)`);
    }
    return { descriptor: new Uint8Array(Buffer.from(descriptor, "base64")) };
  }
  if (typeof columns !== "object" || columns === null || Array.isArray(columns)) {
    throw badRequest(`${where}.columns must be an object of column name to Unity Catalog type`);
  }
  return { columns: columns as ColumnsDeclaration };
}

/**
 * Reads the tables of a `--tables` file: `{ "<catalog.schema.table>": <declaration>, … }`, each
 * declaration as {@link declarationFromJson} takes it.
 */
export function tablesFromJson(value: unknown): Record<string, TableDeclaration> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(
      `the tables must be an object of table name to declaration, such as { "main.iot.readings": ${EXAMPLE.split(" or ")[0]} }`,
    );
  }
  return Object.fromEntries(
    Object.entries(value).map(([name, declaration]) => [
      name,
      declarationFromJson(declaration, `table ${name}`),
    ]),
  );
}
