import { readFile } from "node:fs/promises";
import { tablesFromJson } from "../admin/declaration-from-json.js";
import type { TableDeclaration } from "../schema/table-declaration.js";

/**
 * Reads a `--tables` file: one JSON object of table name to declaration, the body `PUT /tables/{name}` of
 * the admin endpoint takes. Throws a `TypeError` naming the file and what is wrong in it.
 */
export async function readTablesFile(path: string): Promise<Record<string, TableDeclaration>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new TypeError(
      `--tables ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`--tables ${path}: not JSON (${(error as Error).message})`);
  }
  try {
    return tablesFromJson(json);
  } catch (error) {
    throw new TypeError(`--tables ${path}: ${(error as Error).message}`);
  }
}
