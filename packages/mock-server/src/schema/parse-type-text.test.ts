import { describe, expect, it } from "vitest";
import { typeText } from "./column-type.js";
import { parseColumnText, parseTypeText } from "./parse-type-text.js";

describe("parseTypeText", () => {
  it.each([
    ["STRING", "STRING"],
    ["bigint", "BIGINT"],
    ["Long", "BIGINT"],
    ["INTEGER", "INT"],
    ["short", "SMALLINT"],
    ["byte", "TINYINT"],
    ["real", "FLOAT"],
    ["timestamp_ntz", "TIMESTAMP_NTZ"],
    ["variant", "VARIANT"],
    ["DECIMAL", "DECIMAL(10,0)"],
    ["decimal(5)", "DECIMAL(5,0)"],
    ["DECIMAL( 10 , 2 )", "DECIMAL(10,2)"],
    ["array<string>", "ARRAY<STRING>"],
    ["map<string,int>", "MAP<STRING, INT>"],
    ["struct<a:int,b:array<string>>", "STRUCT<a: INT, b: ARRAY<STRING>>"],
    [
      "STRUCT<a: INT NOT NULL, `odd name` STRING COMMENT 'kept out'>",
      "STRUCT<a: INT NOT NULL, odd name: STRING>",
    ],
    ["struct<>", "STRUCT<>"],
    ["array<struct<x:map<string,array<double>>>>", "ARRAY<STRUCT<x: MAP<STRING, ARRAY<DOUBLE>>>>"],
  ])("reads %s as %s", (text, expected) => {
    expect(typeText(parseTypeText(text))).toBe(expected);
  });

  it.each([
    ["STRIN", 'unknown type "STRIN" (types: STRING, BIGINT'],
    ["array<string", 'expected ">" at position 12 of "array<string", found the end'],
    ["map<string>", 'expected "," at position 10'],
    ["struct<a int, a string>", 'STRUCT field "a" is declared twice'],
    ["decimal(40,2)", "DECIMAL precision 40 must be 1 to 38"],
    ["decimal(5,6)", "DECIMAL scale 6 must be at most the precision 5"],
    ["int int", "unexpected text at position 4"],
    ["", "expected a type at position 0"],
    ["struct<a int not>", 'expected "NULL" after "NOT"'],
  ])("refuses %s", (text, message) => {
    expect(() => parseTypeText(text)).toThrow(message);
  });
});

describe("parseColumnText", () => {
  it("reads NOT NULL after a column's type", () => {
    expect(parseColumnText("string not null")).toEqual({ type: { kind: "string" }, notNull: true });
    expect(parseColumnText("ARRAY<INT>")).toEqual({
      type: { kind: "array", element: { kind: "int" } },
      notNull: false,
    });
  });
});
