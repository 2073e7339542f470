import type { Column, ColumnType, PrimitiveKind } from "./column-type.js";

/** Type names Unity Catalog accepts, synonyms included, and the type each one is. */
const PRIMITIVES: Readonly<Record<string, PrimitiveKind>> = {
  string: "string",
  bigint: "bigint",
  long: "bigint",
  int: "int",
  integer: "int",
  smallint: "smallint",
  short: "smallint",
  tinyint: "tinyint",
  byte: "tinyint",
  boolean: "boolean",
  double: "double",
  float: "float",
  real: "float",
  date: "date",
  timestamp: "timestamp",
  timestamp_ntz: "timestamp_ntz",
  binary: "binary",
  variant: "variant",
};

const DECIMAL_NAMES = new Set(["decimal", "dec", "numeric"]);

/** Names listed when a type is unknown, so the message says what would have been right. */
export const KNOWN_TYPE_NAMES =
  "STRING, BIGINT, INT, SMALLINT, TINYINT, BOOLEAN, DOUBLE, FLOAT, DECIMAL(p,s), DATE, TIMESTAMP, TIMESTAMP_NTZ, BINARY, VARIANT, ARRAY<T>, MAP<K,V>, STRUCT<name: T, …>";

/**
 * Parses a column type as Unity Catalog writes it (`type_text`), case-insensitively: `bigint`,
 * `DECIMAL(10,2)`, `array<string>`, `map<string,int>`, `struct<a:int,b:array<string> not null>` (a colon or
 * a space between a field's name and type; backquoted names; `COMMENT '…'` after a field is skipped).
 * Throws an `Error` saying what is wrong and where.
 */
export function parseTypeText(text: string): ColumnType {
  if (typeof text !== "string") throw new Error(`a type must be a string, got ${typeof text}`);
  const parser = new TypeTextParser(text);
  const type = parser.type();
  parser.expectEnd();
  return type;
}

/**
 * Parses a column's type as a declaration gives it: a type, optionally followed by `NOT NULL`
 * (`"STRING NOT NULL"`), as in a table's DDL. Throws an `Error` saying what is wrong.
 */
export function parseColumnText(text: string): { type: ColumnType; notNull: boolean } {
  if (typeof text !== "string") throw new Error(`a type must be a string, got ${typeof text}`);
  const parser = new TypeTextParser(text);
  const type = parser.type();
  const notNull = parser.notNull();
  parser.expectEnd();
  return { type, notNull };
}

class TypeTextParser {
  #at = 0;

  constructor(private readonly text: string) {}

  type(): ColumnType {
    const start = this.#at;
    const name = this.#word();
    if (name === undefined) throw this.#error("expected a type");
    const lower = name.toLowerCase();
    const primitive = PRIMITIVES[lower];
    if (primitive) return { kind: primitive };
    if (DECIMAL_NAMES.has(lower)) return this.#decimal();
    if (lower === "array") {
      this.#expect("<");
      const element = this.type();
      this.#expect(">");
      return { kind: "array", element };
    }
    if (lower === "map") {
      this.#expect("<");
      const key = this.type();
      this.#expect(",");
      const value = this.type();
      this.#expect(">");
      return { kind: "map", key, value };
    }
    if (lower === "struct") return this.#struct();
    this.#at = start;
    throw new Error(`unknown type "${name}" (types: ${KNOWN_TYPE_NAMES})`);
  }

  /** Reads `NOT NULL` if it comes next. */
  notNull(): boolean {
    if (!this.#acceptWord("not")) return false;
    if (!this.#acceptWord("null")) throw this.#error('expected "NULL" after "NOT"');
    return true;
  }

  expectEnd(): void {
    this.#skipSpaces();
    if (this.#at < this.text.length) throw this.#error("unexpected text");
  }

  #decimal(): ColumnType {
    // DECIMAL alone is DECIMAL(10,0), and DECIMAL(p) is DECIMAL(p,0), as in Unity Catalog.
    if (!this.#accept("(")) return { kind: "decimal", precision: 10, scale: 0 };
    const precision = this.#integer("precision");
    const scale = this.#accept(",") ? this.#integer("scale") : 0;
    this.#expect(")");
    if (precision < 1 || precision > 38) throw new Error(`DECIMAL precision ${precision} must be 1 to 38`);
    if (scale > precision)
      throw new Error(`DECIMAL scale ${scale} must be at most the precision ${precision}`);
    return { kind: "decimal", precision, scale };
  }

  #struct(): ColumnType {
    this.#expect("<");
    const fields: Column[] = [];
    if (this.#accept(">")) return { kind: "struct", fields };
    do {
      const name = this.#fieldName();
      if (fields.some((field) => field.name.toLowerCase() === name.toLowerCase())) {
        throw new Error(`STRUCT field "${name}" is declared twice`);
      }
      this.#accept(":");
      const type = this.type();
      const nullable = !this.notNull();
      if (this.#acceptWord("comment")) this.#quoted();
      fields.push({ name, type, nullable });
    } while (this.#accept(","));
    this.#expect(">");
    return { kind: "struct", fields };
  }

  #fieldName(): string {
    this.#skipSpaces();
    if (this.text[this.#at] === "`") {
      const end = this.text.indexOf("`", this.#at + 1);
      if (end < 0) throw this.#error("unclosed ` in a field name");
      const name = this.text.slice(this.#at + 1, end);
      this.#at = end + 1;
      return name;
    }
    const name = this.#word();
    if (name === undefined) throw this.#error("expected a STRUCT field name");
    return name;
  }

  #quoted(): void {
    this.#skipSpaces();
    const quote = this.text[this.#at];
    if (quote !== "'" && quote !== '"') throw this.#error("expected a quoted COMMENT");
    const end = this.text.indexOf(quote, this.#at + 1);
    if (end < 0) throw this.#error("unclosed COMMENT");
    this.#at = end + 1;
  }

  #integer(what: string): number {
    this.#skipSpaces();
    const match = /^\d+/.exec(this.text.slice(this.#at));
    if (!match) throw this.#error(`expected the DECIMAL ${what}`);
    this.#at += match[0].length;
    return Number(match[0]);
  }

  #word(): string | undefined {
    this.#skipSpaces();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.#at));
    if (!match) return undefined;
    this.#at += match[0].length;
    return match[0];
  }

  #acceptWord(word: string): boolean {
    const start = this.#at;
    if (this.#word()?.toLowerCase() === word) return true;
    this.#at = start;
    return false;
  }

  #accept(symbol: string): boolean {
    this.#skipSpaces();
    if (this.text[this.#at] !== symbol) return false;
    this.#at += 1;
    return true;
  }

  #expect(symbol: string): void {
    if (!this.#accept(symbol)) throw this.#error(`expected "${symbol}"`);
  }

  #skipSpaces(): void {
    while (this.#at < this.text.length && /\s/.test(this.text[this.#at]!)) this.#at += 1;
  }

  #error(what: string): Error {
    const found = this.#at < this.text.length ? `"${this.text.slice(this.#at, this.#at + 12)}"` : "the end";
    return new Error(`${what} at position ${this.#at} of "${this.text}", found ${found}`);
  }
}
