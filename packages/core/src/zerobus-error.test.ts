import { describe, expect, it } from "vitest";
import { ZerobusErrorCodes } from "./error-code.js";
import { isRetryableByDefault } from "./retryability.js";
import { isZerobusError, ZerobusError } from "./zerobus-error.js";

/**
 * A second, independent copy of this module, as a duplicate install of `@zerobus/core` would load it: the
 * query string makes the module loader evaluate the file again, so its class is a different object.
 */
async function loadDuplicateCopy(): Promise<typeof import("./zerobus-error.js")> {
  const specifier = "./zerobus-error.ts?duplicate-install";
  return import(/* @vite-ignore */ specifier);
}

describe("ZerobusError", () => {
  it("prefixes the message with [code] and keeps the raw message", () => {
    const error = new ZerobusError("invalid_state", "the stream is open");
    expect(error.message).toBe("[invalid_state] the stream is open");
    expect(error.rawMessage).toBe("the stream is open");
    expect(error.name).toBe("ZerobusError");
    expect(error.code).toBe("invalid_state");
    expect(String(error)).toBe("ZerobusError: [invalid_state] the stream is open");
  });

  it("is an Error with a stack", () => {
    const error = new ZerobusError("internal", "x");
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ZerobusError);
    expect(error.stack).toContain("[internal] x");
  });

  it.each(ZerobusErrorCodes)("takes the default retryability of %s unless told otherwise", (code) => {
    expect(new ZerobusError(code, "x").retryable).toBe(isRetryableByDefault(code));
    expect(new ZerobusError(code, "x", { retryable: true }).retryable).toBe(true);
    expect(new ZerobusError(code, "x", { retryable: false }).retryable).toBe(false);
  });

  it("keeps grpcCode, offset and cause, and has none of them when not given", () => {
    const cause = new Error("underlying");
    const error = new ZerobusError("cancelled", "wait aborted", { grpcCode: 1, offset: 7n, cause });
    expect(error.grpcCode).toBe(1);
    expect(error.offset).toBe(7n);
    expect(error.cause).toBe(cause);

    const bare = new ZerobusError("internal", "x");
    expect("grpcCode" in bare).toBe(false);
    expect("offset" in bare).toBe(false);
    expect("cause" in bare).toBe(false);
  });

  it("keeps grpcCode 0", () => {
    expect(new ZerobusError("stream_closed", "x", { grpcCode: 0 }).grpcCode).toBe(0);
  });

  describe("isZerobusError and instanceof", () => {
    it("recognise errors of a duplicate copy of the package", async () => {
      const copy = await loadDuplicateCopy();
      expect(copy.ZerobusError).not.toBe(ZerobusError);

      const foreign = new copy.ZerobusError("unavailable", "from the other copy");
      expect(isZerobusError(foreign)).toBe(true);
      expect(foreign instanceof ZerobusError).toBe(true);
      expect(ZerobusError.from(foreign)).toBe(foreign);

      const ours = new ZerobusError("unavailable", "from this copy");
      expect(copy.isZerobusError(ours)).toBe(true);
      expect(ours instanceof copy.ZerobusError).toBe(true);
    });

    it("recognise an object carrying the global brand and a known code", () => {
      const branded = { [Symbol.for("@zerobus/core.ZerobusError")]: true, code: "aborted", message: "m" };
      expect(isZerobusError(branded)).toBe(true);
      expect(branded instanceof ZerobusError).toBe(true);
    });

    it.each([
      ["a plain Error", new Error("[unavailable] x")],
      ["an Error with a code", Object.assign(new Error("x"), { code: "unavailable" })],
      [
        "a branded object with an unknown code",
        { [Symbol.for("@zerobus/core.ZerobusError")]: true, code: "nope" },
      ],
      ["a look-alike with a local symbol", { [Symbol("@zerobus/core.ZerobusError")]: true, code: "aborted" }],
      ["null", null],
      ["a string", "ZerobusError"],
    ])("reject %s", (_label, value) => {
      expect(isZerobusError(value)).toBe(false);
      expect(value instanceof ZerobusError).toBe(false);
    });

    it("keep the ordinary check for subclasses", () => {
      class StreamGone extends ZerobusError {}
      const sub = new StreamGone("stream_closed", "gone");
      expect(sub instanceof StreamGone).toBe(true);
      expect(sub instanceof ZerobusError).toBe(true);
      expect(new ZerobusError("stream_closed", "gone") instanceof StreamGone).toBe(false);
    });
  });

  describe("from", () => {
    it("returns a ZerobusError as is", () => {
      const error = new ZerobusError("ack_timeout", "no ack");
      expect(ZerobusError.from(error)).toBe(error);
    });

    it("turns an aborted signal's reason into a non-retryable cancelled", () => {
      const controller = new AbortController();
      controller.abort();
      const error = ZerobusError.from(controller.signal.reason);
      expect(error).toMatchObject({ code: "cancelled", retryable: false });
      expect(error.cause).toBe(controller.signal.reason);
    });

    it("turns a TimeoutError into cancelled", async () => {
      const signal = AbortSignal.timeout(1);
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      expect(ZerobusError.from(signal.reason)).toMatchObject({ code: "cancelled", retryable: false });
    });

    it("wraps any other Error as unknown with the original as cause", () => {
      const original = new RangeError("boom");
      const error = ZerobusError.from(original);
      expect(error).toMatchObject({ code: "unknown", retryable: true, message: "[unknown] boom" });
      expect(error.cause).toBe(original);
    });

    it("uses the error's name when it has no message", () => {
      expect(ZerobusError.from(new TypeError()).message).toBe("[unknown] TypeError");
    });

    it.each([
      ["a string", "oops", "[unknown] oops"],
      ["a number", 42, "[unknown] 42"],
      ["undefined", undefined, "[unknown] undefined"],
      ["an object without a prototype", Object.create(null), "[unknown] a non-error value was thrown"],
    ])("wraps %s without throwing", (_label, value, message) => {
      const error = ZerobusError.from(value);
      expect(error.message).toBe(message);
      expect(error.cause).toBe(value);
    });
  });

  describe("toJSON", () => {
    it("serialises code, message, retryability, grpcCode, offset and the cause's name and message", () => {
      const error = new ZerobusError("cancelled", "wait aborted", {
        grpcCode: 1,
        offset: 12n,
        cause: new TypeError("inner"),
      });
      expect(JSON.parse(JSON.stringify(error))).toEqual({
        name: "ZerobusError",
        code: "cancelled",
        message: "[cancelled] wait aborted",
        retryable: false,
        grpcCode: 1,
        offset: "12",
        cause: { name: "TypeError", message: "inner" },
      });
    });

    it("leaves out the stack and absent fields", () => {
      expect(new ZerobusError("internal", "x").toJSON()).toEqual({
        name: "ZerobusError",
        code: "internal",
        message: "[internal] x",
        retryable: true,
      });
    });
  });
});
