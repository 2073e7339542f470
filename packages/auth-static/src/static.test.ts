import { inspect } from "node:util";
import { testHeadersContext } from "@zerobus/test-support";
import { describe, expect, it } from "vitest";
import { fromHeaders, fromToken } from "./index.js";

const context = testHeadersContext();

const token = "dapi0123456789abcdef-secret";

describe("fromToken", () => {
  it("sends the token as a bearer authorization on every call, whatever the reason", async () => {
    const provider = fromToken(token);
    for (const reason of ["create", "recovery", "unauthenticated"] as const) {
      expect(await provider.getHeaders({ ...context, reason })).toEqual({ authorization: `Bearer ${token}` });
    }
  });

  it.each([
    ["an empty string", ""],
    ["a non-string", 42],
    ["a token with a space", "abc def"],
    ["a token with a line break", "abc\ndef"],
    ["a token with non-ASCII", "abcé"],
    ["a token with the Bearer prefix", "Bearer abc"],
  ])("refuses %s with invalid_argument, never quoting it", (_, value) => {
    let thrown: unknown;
    try {
      fromToken(value as string);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: "invalid_argument", retryable: false });
    expect((thrown as Error).message).toMatch(/^\[invalid_argument\] fromToken\(token\): /);
    if (typeof value === "string" && value !== "") expect((thrown as Error).message).not.toContain(value);
  });

  it("keeps the token out of inspect and JSON", () => {
    const provider = fromToken(token);
    expect(inspect(provider, { depth: 10, showHidden: true })).not.toContain(token);
    expect(JSON.stringify({ provider })).toBe('{"provider":{"provider":"StaticTokenProvider"}}');
  });
});

describe("fromHeaders", () => {
  it("lower-cases names and returns a fresh copy each call", async () => {
    const input = { Authorization: `Bearer ${token}`, "X-Gateway-Key": "k1" };
    const provider = fromHeaders(input);
    const first = await provider.getHeaders(context);
    expect(first).toEqual({ authorization: `Bearer ${token}`, "x-gateway-key": "k1" });
    first.authorization = "tampered";
    input["X-Gateway-Key"] = "changed";
    expect(await provider.getHeaders(context)).toEqual({
      authorization: `Bearer ${token}`,
      "x-gateway-key": "k1",
    });
  });

  it.each([
    ["no headers", {}, /at least one header/],
    ["a name given twice in different case", { a: "1", A: "2" }, /more than once/],
    ["an invalid name", { "bad name": "1" }, /not a valid gRPC metadata name/],
    ["a non-string value", { a: 1 }, /must have a string value/],
    ["a value with a line break", { a: "x\ny" }, /not printable ASCII/],
    ["an array", ["a", "b"], /object of header name to value/],
  ])("refuses %s with invalid_argument", (_, headers, message) => {
    expect(() => fromHeaders(headers as never)).toThrow(message);
    expect(() => fromHeaders(headers as never)).toThrow(
      expect.objectContaining({ code: "invalid_argument" }),
    );
  });

  it("shows header names but never values in inspect and JSON", () => {
    const provider = fromHeaders({ authorization: `Bearer ${token}`, "x-gateway-key": "k1-secret" });
    for (const text of [inspect(provider, { showHidden: true, depth: 10 }), JSON.stringify(provider)]) {
      expect(text).toContain("authorization,x-gateway-key");
      expect(text).not.toContain(token);
      expect(text).not.toContain("k1-secret");
    }
  });
});
