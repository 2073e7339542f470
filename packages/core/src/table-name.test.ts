import { describe, expect, it } from "vitest";
import { parseTableName, validateTableName } from "./table-name.js";
import { ZerobusError } from "./zerobus-error.js";

describe("parseTableName", () => {
  it("splits catalog.schema.table", () => {
    expect(parseTableName("main.default.events")).toEqual({
      catalog: "main",
      schema: "default",
      table: "events",
    });
  });

  it("keeps characters other than the dot as they are (there is no quoting)", () => {
    expect(parseTableName("my-cat.`s`.t_1")).toEqual({ catalog: "my-cat", schema: "`s`", table: "t_1" });
  });

  it.each([
    ["", "found 1"],
    ["events", "found 1"],
    ["default.events", "found 2"],
    ["a.b.c.d", "found 4"],
    ["..", "catalog part is empty"],
    [".schema.table", "catalog part is empty"],
    ["catalog..table", "schema part is empty"],
    ["catalog.schema.", "table part is empty"],
    ["catalog. .table", "schema part is empty"],
  ])("refuses %j with invalid_argument (%s)", (name, reason) => {
    let error: unknown;
    try {
      parseTableName(name);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ZerobusError);
    expect(error).toMatchObject({ code: "invalid_argument", retryable: false });
    expect((error as ZerobusError).message).toContain(reason);
  });

  it.each([undefined, null, 42, { tableName: "a.b.c" }])("refuses the non-string %j", (value) => {
    expect(() => parseTableName(value)).toThrow(/^\[invalid_argument\] table name must be a string/);
  });
});

describe("validateTableName", () => {
  it("returns a valid name unchanged", () => {
    expect(validateTableName("c.s.t")).toBe("c.s.t");
  });

  it("throws for an invalid one", () => {
    expect(() => validateTableName("c.s")).toThrow(ZerobusError);
  });
});
