import { describe, expect, it } from "vitest";
import { RecordType } from "./record-type.js";

describe("RecordType", () => {
  it("uses the wire numbers of databricks.zerobus.RecordType", () => {
    // Not the official TS binding's numbering (Json = 0): PROTOCOL.md B §10.2.
    expect(RecordType).toEqual({ Unspecified: 0, Proto: 1, Json: 2 });
  });
});
