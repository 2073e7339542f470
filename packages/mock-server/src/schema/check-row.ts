import { checkFields } from "./check-column-value.js";
import type { TableSchema } from "./table-schema.js";

/**
 * Checks one record's value (a parsed JSON object, or a proto row as proto JSON) against the declared
 * columns. Returns what is wrong, naming the column (its path when nested) and the table, e.g.
 * `unknown column "temprature" of main.app.events (columns: device, temperature)`; undefined when it fits.
 */
export function checkRow(schema: TableSchema, value: Readonly<Record<string, unknown>>): string | undefined {
  const problem = checkFields(schema.columns, value, "");
  if (!problem) return undefined;
  if (problem.known) {
    const parent = problem.path.includes(".") ? problem.path.slice(0, problem.path.lastIndexOf(".")) : "";
    const listed = parent ? `fields of ${parent}` : "columns";
    return `unknown column "${problem.path}" of ${schema.name} (${listed}: ${problem.known.join(", ")})`;
  }
  return `column "${problem.path}" of ${schema.name} ${problem.what}`;
}
