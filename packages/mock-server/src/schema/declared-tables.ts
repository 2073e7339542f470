import type { TableDeclaration } from "./table-declaration.js";
import { type TableSchema, tableSchemaOf } from "./table-schema.js";

/** What the server does with a stream for a table nobody declared. */
export type UndeclaredTables = "accept" | "refuse";

/**
 * The tables a server knows: those of the `tables` option, kept across `reset()`, and those declared
 * later with `declareTable`, forgotten by it. Every declaration is checked when it is made.
 */
export class DeclaredTables {
  readonly #initial: ReadonlyMap<string, TableSchema>;
  #current: Map<string, TableSchema>;
  /** Fixed at creation: declaring a table later never changes what undeclared tables get. */
  readonly undeclared: UndeclaredTables;

  constructor(
    tables: Readonly<Record<string, TableDeclaration>> | undefined,
    undeclared: UndeclaredTables | undefined,
  ) {
    if (undeclared !== undefined && undeclared !== "accept" && undeclared !== "refuse") {
      throw new TypeError(`undeclaredTables must be "accept" or "refuse", got ${JSON.stringify(undeclared)}`);
    }
    if (tables !== undefined && (typeof tables !== "object" || tables === null || Array.isArray(tables))) {
      throw new TypeError(
        "tables must be an object of three-part table name to { columns } or { descriptor }",
      );
    }
    this.#initial = new Map(
      Object.entries(tables ?? {}).map(([name, declaration]) => [name, tableSchemaOf(name, declaration)]),
    );
    this.#current = new Map(this.#initial);
    this.undeclared = undeclared ?? (tables === undefined ? "accept" : "refuse");
  }

  /** Declares a table or replaces its declaration; throws a `TypeError` for a bad one. */
  declare(name: string, declaration: TableDeclaration): void {
    this.#current.set(name, tableSchemaOf(name, declaration));
  }

  /** The declared columns of a table, or undefined when it was not declared. */
  schemaOf(name: string): TableSchema | undefined {
    return this.#current.get(name);
  }

  /** Back to the `tables` option's declarations. */
  reset(): void {
    this.#current = new Map(this.#initial);
  }
}
