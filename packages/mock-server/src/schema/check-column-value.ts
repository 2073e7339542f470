import type { Column, ColumnType } from "./column-type.js";
import { typeText } from "./column-type.js";

/** Integer ranges of the integer column types (BIGINT's bounds as bigint: they pass 2^53). */
const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

const DIGITS = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Date, then optionally a time with seconds and up to nanoseconds, then optionally a zone.
const ISO_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
// Proto JSON writes non-finite floats as these strings.
const NON_FINITE = new Set(["NaN", "Infinity", "-Infinity"]);

/**
 * Checks a JSON value against a column type; returns what is wrong (`"is BOOLEAN, got a string (\"yes\")"`,
 * with the path of the nested value when it is inside the column), or undefined when it fits.
 *
 * The service's exact JSON rules are not documented, so this accepts what a JSON client plausibly sends
 * and refuses what is clearly a bug:
 * - integer types: an integer number, or a string of digits (JSON encoders write int64 past 2^53 as
 *   strings, and proto JSON always does), within the type's range;
 * - DOUBLE/FLOAT: a number, a numeric string, or NaN/Infinity/-Infinity as strings (proto JSON);
 * - DECIMAL(p,s): a number or a numeric string with at most p−s integer digits (extra fraction digits
 *   are taken as rounding, not an error);
 * - DATE: `YYYY-MM-DD`, or an integer number of days since 1970-01-01;
 * - TIMESTAMP/TIMESTAMP_NTZ: an integer (microseconds since the epoch, as a number or a string of
 *   digits) or an ISO-8601 string;
 * - BINARY: a base64 string (standard or URL-safe alphabet), as JSON and proto JSON encode bytes;
 * - STRING only a string and BOOLEAN only a boolean: a number or object there is a bug in the writer;
 * - VARIANT: any value;
 * - ARRAY: an array (its elements may be null); MAP: an object whose keys read as the key type (its
 *   values may be null); STRUCT: an object with only its fields, null or missing only where nullable.
 */
export function checkColumnValue(type: ColumnType, value: unknown, path: string): Problem | undefined {
  const wrong = (expected?: string): Problem => ({
    path,
    what: `is ${typeText(type)}${expected ? ` (${expected})` : ""}, got ${describe(value)}`,
  });
  switch (type.kind) {
    case "string":
      return typeof value === "string" ? undefined : wrong();
    case "boolean":
      return typeof value === "boolean" ? undefined : wrong();
    case "variant":
      return undefined;
    case "tinyint":
    case "smallint":
    case "int":
    case "bigint":
      return checkInteger(value, INTEGER_RANGES[type.kind]!) ? undefined : wrong(integerHint(value));
    case "double":
    case "float":
      if (typeof value === "number") return undefined;
      return typeof value === "string" && (NON_FINITE.has(value) || isNumericText(value))
        ? undefined
        : wrong();
    case "decimal":
      return checkDecimal(value, type.precision - type.scale)
        ? undefined
        : wrong("a number or numeric string");
    case "date":
      return isIntegerNumber(value) || (typeof value === "string" && isIsoDate(value))
        ? undefined
        : wrong("YYYY-MM-DD or days since 1970-01-01");
    case "timestamp":
    case "timestamp_ntz":
      return checkInteger(value, INTEGER_RANGES.bigint!) ||
        (typeof value === "string" &&
          ISO_TIMESTAMP.test(value) &&
          !Number.isNaN(Date.parse(value.slice(0, 10))))
        ? undefined
        : wrong("microseconds since the epoch or an ISO-8601 string");
    case "binary":
      return typeof value === "string" && BASE64.test(value) && value.replace(/=+$/, "").length % 4 !== 1
        ? undefined
        : wrong("a base64 string");
    case "array":
      if (!Array.isArray(value)) return wrong();
      for (const [index, element] of value.entries()) {
        if (element === null) continue;
        const problem = checkColumnValue(type.element, element, `${path}[${index}]`);
        if (problem) return problem;
      }
      return undefined;
    case "map":
      if (!isObject(value)) return wrong();
      for (const [key, element] of Object.entries(value)) {
        const keyPath = `${path}[${JSON.stringify(key)}]`;
        const keyProblem = checkColumnValue(type.key, mapKeyValue(type.key, key), keyPath);
        if (keyProblem) return { path: keyPath, what: `key ${keyProblem.what}` };
        if (element === null) continue;
        const problem = checkColumnValue(type.value, element, keyPath);
        if (problem) return problem;
      }
      return undefined;
    case "struct":
      return isObject(value) ? checkFields(type.fields, value, path) : wrong();
  }
}

/** What is wrong with one value: where (`address.zip`, `tags[2]`) and what. */
export interface Problem {
  readonly path: string;
  readonly what: string;
  /** For an unknown field: the names that would have been right. */
  readonly known?: readonly string[];
}

/**
 * Checks an object against fields (a table's columns or a STRUCT's fields): no unknown key, no null or
 * missing value where not nullable, every value of its field's type. `prefix` is the path of the struct.
 */
export function checkFields(
  fields: readonly Column[],
  object: Readonly<Record<string, unknown>>,
  prefix: string,
): Problem | undefined {
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  for (const key of Object.keys(object)) {
    // Column names are case-insensitive in Unity Catalog.
    if (!byName.has(key.toLowerCase())) {
      return { path: at(key), what: "unknown", known: fields.map((field) => field.name) };
    }
  }
  const present = new Map(Object.entries(object).map(([key, value]) => [key.toLowerCase(), value]));
  for (const field of fields) {
    const value = present.get(field.name.toLowerCase());
    if (value === null || value === undefined) {
      if (field.nullable) continue;
      return { path: at(field.name), what: `is NOT NULL, got ${value === null ? "null" : "no value"}` };
    }
    const problem = checkColumnValue(field.type, value, at(field.name));
    if (problem) return problem;
  }
  return undefined;
}

function checkInteger(value: unknown, [min, max]: readonly [bigint, bigint]): boolean {
  let integer: bigint;
  if (isIntegerNumber(value)) integer = BigInt(value);
  else if (typeof value === "string" && DIGITS.test(value)) integer = BigInt(value);
  else return false;
  return integer >= min && integer <= max;
}

function integerHint(value: unknown): string | undefined {
  const inRange = isIntegerNumber(value) || (typeof value === "string" && DIGITS.test(value));
  return inRange ? "out of range" : "an integer or a string of digits";
}

function checkDecimal(value: unknown, integerDigits: number): boolean {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  if (typeof text !== "string") return false;
  const match = DECIMAL_TEXT.exec(text);
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) return false;
  // With an exponent the digit count says nothing about the magnitude: not checked.
  if (/[eE]/.test(text)) return true;
  return match[1]!.replace(/^0+/, "").length <= integerDigits;
}

function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isNumericText(text: string): boolean {
  return text.trim() !== "" && Number.isFinite(Number(text));
}

function isIntegerNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A map key as the value it stands for: JSON object keys are always strings. */
function mapKeyValue(keyType: ColumnType, key: string): unknown {
  if (keyType.kind === "boolean") return key === "true" ? true : key === "false" ? false : key;
  return key;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const shown = JSON.stringify(value);
  const short = shown.length > 40 ? `${shown.slice(0, 37)}…` : shown;
  return `a ${typeof value} (${short})`;
}
