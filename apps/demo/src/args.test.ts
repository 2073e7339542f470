import { describe, expect, it } from "vitest";
import { parseDemoArgs, UsageError } from "./args.js";

describe("parseDemoArgs", () => {
  it("defaults to a million readings in batches of 1000, the SDK's backend choice", () => {
    expect(parseDemoArgs([])).toEqual({
      records: 1_000_000,
      batch: 1000,
      maxInflight: 50_000,
      backend: undefined,
      otel: false,
      help: false,
    });
  });

  it("reads every option, with digit separators", () => {
    expect(
      parseDemoArgs([
        "--records",
        "20_000",
        "--batch=1",
        "--max-inflight",
        "1e5",
        "--backend",
        "js",
        "--otel",
        "-h",
      ]),
    ).toEqual({ records: 20_000, batch: 1, maxInflight: 100_000, backend: "js", otel: true, help: true });
  });

  it.each([
    [["--records", "0"], '--records must be a positive integer, got "0"'],
    [["--batch", "2.5"], '--batch must be a positive integer, got "2.5"'],
    [["--records", "lots"], '--records must be a positive integer, got "lots"'],
    [["--backend", "rust"], '--backend must be one of js, native, auto, got "rust"'],
    [["--speed", "9"], "Unknown option '--speed'"],
    [["extra"], "Unexpected argument 'extra'"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseDemoArgs(argv)).toThrow(UsageError);
    expect(() => parseDemoArgs(argv)).toThrow(message);
  });
});
