import { describe, expect, it } from "vitest";
import { RecordType } from "./record-type.js";
import type { StreamOptions } from "./stream-options.js";
import { DEFAULT_MAX_MESSAGE_BYTES, defaultStreamOptions, resolveStreamOptions } from "./stream-options.js";
import { ZerobusError } from "./zerobus-error.js";

const json = { hasDescriptor: false };
const proto = { hasDescriptor: true };

/** Runs `fn` and returns the `ZerobusError` it throws (failing the test when it throws nothing). */
function thrown(fn: () => unknown): ZerobusError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ZerobusError);
    return error as ZerobusError;
  }
  throw new Error("expected a ZerobusError, nothing was thrown");
}

/** Resolves options that the type system would refuse, as a JavaScript caller can pass them. */
function resolveUntyped(options: Record<string, unknown>, table = json) {
  return resolveStreamOptions(options as StreamOptions, table);
}

describe("defaultStreamOptions", () => {
  it("holds the defaults of API.md's table", () => {
    expect(defaultStreamOptions).toStrictEqual({
      maxInflightRecords: 1_000_000,
      maxInflightBytes: 256 * 1024 * 1024,
      recovery: true,
      recoveryTimeoutMs: 15_000,
      recoveryBackoffMs: 2_000,
      recoveryBackoffMaxMs: 30_000,
      recoveryRetries: 4,
      serverLackOfAckTimeoutMs: 60_000,
      flushTimeoutMs: 300_000,
      streamPausedMaxWaitTimeMs: undefined,
      validateRecords: true,
      maxMessageBytes: 10_484_736,
    });
  });

  it("sets maxMessageBytes to 10 MiB − 1 KiB (PROTOCOL.md A.10)", () => {
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(10 * 1024 * 1024 - 1024);
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(10_484_736);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(defaultStreamOptions)).toBe(true);
    expect(() => {
      (defaultStreamOptions as { recoveryRetries: number }).recoveryRetries = 0;
    }).toThrow(TypeError);
    expect(defaultStreamOptions.recoveryRetries).toBe(4);
  });
});

describe("resolveStreamOptions", () => {
  it("applies every default and infers Json without a descriptor", () => {
    expect(resolveStreamOptions(undefined, json)).toStrictEqual({
      recordType: RecordType.Json,
      ...defaultStreamOptions,
    });
    expect(resolveStreamOptions({}, json)).toStrictEqual(resolveStreamOptions(undefined, json));
  });

  it("infers Proto when the table has a descriptor", () => {
    expect(resolveStreamOptions(undefined, proto).recordType).toBe(RecordType.Proto);
  });

  it("lets an explicit record type win", () => {
    expect(resolveStreamOptions({ recordType: RecordType.Json }, proto).recordType).toBe(RecordType.Json);
    expect(resolveStreamOptions({ recordType: RecordType.Proto }, proto).recordType).toBe(RecordType.Proto);
  });

  it("returns a frozen object", () => {
    expect(Object.isFrozen(resolveStreamOptions({}, json))).toBe(true);
  });

  it("keeps given values and takes the default for fields set to undefined", () => {
    // `flushTimeoutMs: undefined` is what a JavaScript caller spreading partial options passes.
    const resolved = resolveUntyped({
      maxInflightRecords: 10,
      maxInflightBytes: 1024,
      recovery: false,
      recoveryTimeoutMs: 100,
      recoveryBackoffMs: 0,
      recoveryRetries: 0,
      serverLackOfAckTimeoutMs: 200,
      streamPausedMaxWaitTimeMs: 0,
      validateRecords: false,
      maxMessageBytes: 4096,
      flushTimeoutMs: undefined,
    });
    expect(resolved).toStrictEqual({
      recordType: RecordType.Json,
      maxInflightRecords: 10,
      maxInflightBytes: 1024,
      recovery: false,
      recoveryTimeoutMs: 100,
      recoveryBackoffMs: 0,
      recoveryBackoffMaxMs: 30_000,
      recoveryRetries: 0,
      serverLackOfAckTimeoutMs: 200,
      flushTimeoutMs: 300_000,
      streamPausedMaxWaitTimeMs: 0,
      validateRecords: false,
      maxMessageBytes: 4096,
    });
  });

  describe("refuses bad numbers with invalid_argument naming the option", () => {
    const numericOptions = [
      "maxInflightRecords",
      "maxInflightBytes",
      "recoveryTimeoutMs",
      "recoveryBackoffMs",
      "recoveryRetries",
      "serverLackOfAckTimeoutMs",
      "flushTimeoutMs",
      "streamPausedMaxWaitTimeMs",
      "maxMessageBytes",
    ];
    const badValues: [string, unknown][] = [
      ["negative", -1],
      ["non-integer", 1.5],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["a numeric string", "100"],
      ["a bigint", 100n],
      ["null", null],
      ["a boolean", true],
      ["an object", {}],
    ];
    const cases = numericOptions.flatMap((option) =>
      badValues.map(([label, value]) => [option, label, value] as const),
    );

    it.each(cases)("%s: %s", (option, _label, value) => {
      const error = thrown(() => resolveUntyped({ [option]: value }));
      expect(error.code).toBe("invalid_argument");
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`option ${option} `);
    });
  });

  it.each([
    "maxInflightRecords",
    "maxInflightBytes",
    "recoveryTimeoutMs",
    "serverLackOfAckTimeoutMs",
    "flushTimeoutMs",
  ])("refuses 0 for %s (it must allow at least one record or one millisecond)", (option) => {
    expect(thrown(() => resolveUntyped({ [option]: 0 })).message).toContain(`option ${option} must be`);
  });

  it.each(["recoveryBackoffMs", "recoveryRetries", "streamPausedMaxWaitTimeMs"])(
    "accepts 0 for %s",
    (option) => {
      expect(resolveUntyped({ [option]: 0 })).toMatchObject({ [option]: 0 });
    },
  );

  it.each([
    "recoveryTimeoutMs",
    "recoveryBackoffMs",
    "serverLackOfAckTimeoutMs",
    "flushTimeoutMs",
    "streamPausedMaxWaitTimeMs",
  ])("refuses a %s beyond what a Node timer can hold", (option) => {
    expect(resolveUntyped({ [option]: 2 ** 31 - 1 })).toMatchObject({ [option]: 2 ** 31 - 1 });
    expect(thrown(() => resolveUntyped({ [option]: 2 ** 31 })).message).toContain(option);
  });

  describe("recoveryBackoffMaxMs", () => {
    it("defaults to max(30 s, recoveryBackoffMs)", () => {
      expect(resolveStreamOptions({}, json).recoveryBackoffMaxMs).toBe(30_000);
      expect(resolveStreamOptions({ recoveryBackoffMs: 10 }, json).recoveryBackoffMaxMs).toBe(30_000);
      expect(resolveStreamOptions({ recoveryBackoffMs: 45_000 }, json).recoveryBackoffMaxMs).toBe(45_000);
    });

    it("keeps a value at or above recoveryBackoffMs", () => {
      const given = { recoveryBackoffMs: 100, recoveryBackoffMaxMs: 100 };
      expect(resolveStreamOptions(given, json).recoveryBackoffMaxMs).toBe(100);
      expect(resolveStreamOptions({ recoveryBackoffMaxMs: 5_000 }, json).recoveryBackoffMaxMs).toBe(5_000);
    });

    it("refuses a value below recoveryBackoffMs, naming both", () => {
      const error = thrown(() =>
        resolveStreamOptions({ recoveryBackoffMs: 1_000, recoveryBackoffMaxMs: 999 }, json),
      );
      expect(error.code).toBe("invalid_argument");
      expect(error.message).toContain("recoveryBackoffMaxMs (999)");
      expect(error.message).toContain("recoveryBackoffMs (1000)");
      // Against the default backoff of 2 s too.
      expect(thrown(() => resolveStreamOptions({ recoveryBackoffMaxMs: 1_000 }, json)).code).toBe(
        "invalid_argument",
      );
    });

    it("refuses a value a Node timer cannot hold", () => {
      expect(thrown(() => resolveStreamOptions({ recoveryBackoffMaxMs: 2 ** 31 }, json)).message).toContain(
        "recoveryBackoffMaxMs",
      );
    });
  });

  it("refuses a maxMessageBytes too small to carry an envelope", () => {
    expect(thrown(() => resolveStreamOptions({ maxMessageBytes: 63 }, json)).message).toContain(
      "maxMessageBytes",
    );
    expect(resolveStreamOptions({ maxMessageBytes: 64 }, json).maxMessageBytes).toBe(64);
  });

  it("refuses a maxInflightRecords above the safe integers", () => {
    expect(thrown(() => resolveStreamOptions({ maxInflightRecords: 2 ** 53 }, json)).code).toBe(
      "invalid_argument",
    );
  });

  it.each([
    ["recovery", "yes"],
    ["recovery", 1],
    ["validateRecords", "false"],
    ["validateRecords", null],
  ])("refuses the non-boolean %s = %j", (option, value) => {
    const error = thrown(() => resolveUntyped({ [option]: value }));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain(`option ${option} must be a boolean`);
  });

  it("does not echo a long string value in full", () => {
    const value = `${"x".repeat(100)}SECRET-TAIL`;
    const error = thrown(() => resolveUntyped({ flushTimeoutMs: value }));
    expect(error.message).toContain("flushTimeoutMs");
    expect(error.message).not.toContain("SECRET-TAIL");
  });

  describe("recordType", () => {
    it("refuses Unspecified", () => {
      const error = thrown(() => resolveStreamOptions({ recordType: RecordType.Unspecified }, proto));
      expect(error).toMatchObject({ code: "invalid_argument", retryable: false });
      expect(error.message).toContain("option recordType");
      expect(error.message).toContain("Unspecified");
    });

    it.each([3, -1, "json", "JSON", 1.5, null])("refuses the unknown value %j", (value) => {
      const error = thrown(() => resolveUntyped({ recordType: value }, proto));
      expect(error.code).toBe("invalid_argument");
      expect(error.message).toContain("option recordType");
    });

    it("refuses Proto when the table has no descriptor", () => {
      const error = thrown(() => resolveStreamOptions({ recordType: RecordType.Proto }, json));
      expect(error.code).toBe("invalid_argument");
      expect(error.message).toContain("descriptorProto");
    });
  });

  it.each([
    ["a string", "fast"],
    ["a number", 5],
    ["an array", []],
  ])("refuses options that are %s", (_label, value) => {
    const error = thrown(() => resolveStreamOptions(value as StreamOptions, json));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain("stream options must be an object");
  });
});

describe("unknown options", () => {
  it("refuses a key that is not an option, naming it", () => {
    const error = thrown(() => resolveUntyped({ maxInflight: 5 }));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain('unknown stream option "maxInflight"');
  });

  it.each(["toString", "constructor", "hasOwnProperty"])("refuses %s, which every object inherits", (key) => {
    expect(thrown(() => resolveUntyped({ [key]: 5 })).message).toContain(`unknown stream option "${key}"`);
  });

  it("points users of other SDKs to our name", () => {
    expect(thrown(() => resolveUntyped({ maxInflightRequests: 5 })).message).toContain(
      "did you mean maxInflightRecords?",
    );
  });

  it("accepts every documented option", () => {
    expect(() => resolveUntyped({ ...defaultStreamOptions, recordType: RecordType.Json })).not.toThrow();
  });
});
