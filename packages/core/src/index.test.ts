import { describe, expect, it } from "vitest";
import * as core from "./index.js";

describe("@zerobus/core", () => {
  it("exports exactly the documented runtime values (others code against them)", () => {
    expect(Object.keys(core).sort()).toEqual([
      "DEFAULT_MAX_MESSAGE_BYTES",
      "DiagnosticsChannel",
      "GrpcStatus",
      "RecordType",
      "TABLE_NAME_HEADER",
      "ZerobusError",
      "ZerobusErrorCodes",
      "codeForGrpcStatus",
      "defaultStreamOptions",
      "errorFromGrpcStatus",
      "errorFromNetworkError",
      "isRetryableGrpcStatus",
      "isZerobusError",
      "normalizeHeaders",
      "parseTableName",
      "resolveHeaders",
      "resolveStreamOptions",
      "silentLogger",
      "toHeadersProvider",
      "toLogger",
      "validateTableName",
    ]);
  });

  it("has a silent default logger that accepts every level", () => {
    expect(Object.isFrozen(core.silentLogger)).toBe(true);
    for (const level of ["debug", "info", "warn", "error"] as const) {
      expect(core.silentLogger[level]("message", { field: 1 })).toBeUndefined();
    }
  });
});
