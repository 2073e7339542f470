import { describe, expect, it } from "vitest";
import type { HeadersContext, HeadersProvider } from "./headers.js";
import { normalizeHeaders, resolveHeaders, TABLE_NAME_HEADER, toHeadersProvider } from "./headers.js";
import { testHeadersContext as context } from "./test-support/headers-context.js";
import { ZerobusError } from "./zerobus-error.js";

const SECRET = "s3cr3t-t0ken-value";

/** Runs `fn` and returns the `ZerobusError` it throws or rejects with. */
async function failure(fn: () => unknown): Promise<ZerobusError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ZerobusError);
    return error as ZerobusError;
  }
  throw new Error("expected a ZerobusError, nothing was thrown");
}

describe("toHeadersProvider", () => {
  it("wraps a plain function", async () => {
    const seen: HeadersContext[] = [];
    const provider = toHeadersProvider((ctx) => {
      seen.push(ctx);
      return { authorization: "Bearer x" };
    });
    const ctx = context();
    expect(await provider.getHeaders(ctx)).toEqual({ authorization: "Bearer x" });
    expect(seen).toEqual([ctx]);
  });

  it("returns an object with getHeaders as is", () => {
    const provider: HeadersProvider = { getHeaders: () => ({}) };
    expect(toHeadersProvider(provider)).toBe(provider);
  });

  it.each([
    ["null", null],
    ["a string", "Bearer x"],
    ["an object without getHeaders", { headers: {} }],
    ["an object whose getHeaders is not a function", { getHeaders: {} }],
  ])("refuses %s with invalid_argument", async (_label, value) => {
    const error = await failure(() => toHeadersProvider(value as unknown as HeadersProvider));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain("headers provider must be a function or an object");
  });
});

describe("normalizeHeaders", () => {
  it("lower-cases names and keeps values untouched", () => {
    expect(
      normalizeHeaders({
        Authorization: `Bearer ${SECRET}`,
        "X-Custom-Header": " padded value ",
        empty: "",
      }),
    ).toEqual({ authorization: `Bearer ${SECRET}`, "x-custom-header": " padded value ", empty: "" });
  });

  it("accepts every character gRPC metadata allows in a name", () => {
    const name = "x-a_b.c-09az";
    expect(normalizeHeaders({ [name]: "v" })).toEqual({ [name]: "v" });
  });

  it("refuses a -bin name (binary in gRPC) without quoting the value", async () => {
    const error = await failure(() => normalizeHeaders({ "X-Token-Bin": SECRET }));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain('header x-token-bin ends in "-bin"');
    expect(error.message).not.toContain(SECRET);
  });

  it("accepts an object without a prototype", () => {
    const headers = Object.assign(Object.create(null) as Record<string, string>, { A: "1" });
    expect(normalizeHeaders(headers)).toEqual({ a: "1" });
  });

  it("keeps a header named __proto__ as data", () => {
    const headers = normalizeHeaders(JSON.parse('{"__proto__":"x"}'));
    expect(Object.keys(headers)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
  });

  it.each([
    "",
    "bad name",
    "a:b",
    ":authority",
    "naïve",
    "tab\tname",
    "new\nline",
    "(paren)",
    "a,b",
    "x!y",
    "a+b",
    "a|b",
  ])("refuses the name %j", async (name) => {
    const error = await failure(() => normalizeHeaders({ [name]: SECRET }));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain(`header name ${JSON.stringify(name)} is not a valid gRPC metadata name`);
    expect(error.message).not.toContain(SECRET);
  });

  it.each([
    ["a number", 12345678, "got number"],
    ["undefined", undefined, "got undefined"],
    ["null", null, "got null"],
    ["an object", { token: SECRET }, "got object"],
    ["an array", [SECRET], "got object"],
    ["bytes", new TextEncoder().encode(SECRET), "got object"],
  ])("refuses %s as a value without quoting it", async (_label, value, got) => {
    const error = await failure(() => normalizeHeaders({ Authorization: value }));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toBe(`[invalid_argument] header authorization must have a string value, ${got}`);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain("12345678");
  });

  it.each([
    ["a tab", `Bearer\t${SECRET}`],
    ["a newline", `Bearer ${SECRET}\n`],
    ["a carriage return", `Bearer ${SECRET}\r`],
    ["a NUL", `Bearer ${SECRET}\0`],
    ["non-ASCII", `Bearer ${SECRET}é`],
    ["DEL", `Bearer ${SECRET}\x7f`],
  ])("refuses a value with %s without quoting it", async (_label, value) => {
    const error = await failure(() => normalizeHeaders({ authorization: value }));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain("header authorization has characters that are not printable ASCII");
    expect(error.message).not.toContain(SECRET);
  });

  it("refuses two names that differ only in case instead of dropping one", async () => {
    const error = await failure(() =>
      normalizeHeaders({ Authorization: "Bearer a", authorization: "Bearer b" }),
    );
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain("header authorization is given more than once");
    expect(error.message).not.toContain("Bearer");
  });

  it.each([
    ["null", null],
    ["a string", `authorization: Bearer ${SECRET}`],
    ["an array", [["authorization", SECRET]]],
    ["a Map", new Map([["authorization", SECRET]])],
    ["a fetch Headers", new Headers({ authorization: SECRET })],
  ])("refuses %s instead of an object of headers", async (_label, value) => {
    const error = await failure(() => normalizeHeaders(value));
    expect(error.code).toBe("invalid_argument");
    expect(error.message).toContain("must return a plain object");
    expect(error.message).not.toContain(SECRET);
  });
});

describe("resolveHeaders", () => {
  it("calls the provider with the context and adds the table-name header", async () => {
    const ctx = context({ reason: "recovery" });
    let received: HeadersContext | undefined;
    const headers = await resolveHeaders(
      toHeadersProvider(async (given) => {
        received = given;
        return { Authorization: "Bearer x" };
      }),
      ctx,
    );
    expect(received).toBe(ctx);
    expect(headers).toEqual({ authorization: "Bearer x", [TABLE_NAME_HEADER]: "main.default.events" });
    expect(TABLE_NAME_HEADER).toBe("x-databricks-zerobus-table-name");
  });

  it("keeps a table-name header the provider gave, whatever its case", async () => {
    const headers = await resolveHeaders(
      toHeadersProvider(() => ({ "X-Databricks-Zerobus-Table-Name": "other.schema.table" })),
      context(),
    );
    expect(headers).toEqual({ [TABLE_NAME_HEADER]: "other.schema.table" });
  });

  it("refuses invalid headers from the provider", async () => {
    const error = await failure(() =>
      resolveHeaders(
        toHeadersProvider(() => ({ "bad name": SECRET })),
        context(),
      ),
    );
    expect(error.code).toBe("invalid_argument");
    expect(error.message).not.toContain(SECRET);
  });

  it("passes a provider's own ZerobusError through", async () => {
    const own = new ZerobusError("unavailable", "token endpoint unreachable");
    const error = await failure(() =>
      resolveHeaders(
        toHeadersProvider(() => Promise.reject(own)),
        context(),
      ),
    );
    expect(error).toBe(own);
  });

  it("turns any other failure into a non-retryable auth_failed that keeps the cause", async () => {
    const cause = new Error(`could not read ${SECRET}`);
    const error = await failure(() =>
      resolveHeaders(
        toHeadersProvider(() => {
          throw cause;
        }),
        context(),
      ),
    );
    expect(error).toMatchObject({ code: "auth_failed", retryable: false, cause });
    expect(error.message).toBe("[auth_failed] the headers provider failed");
  });

  it("reports a failure after the attempt was abandoned as the abort, not as auth_failed", async () => {
    const controller = new AbortController();
    const pending = failure(() =>
      resolveHeaders(
        toHeadersProvider(
          ({ signal }) =>
            new Promise((_resolve, reject) => {
              signal.addEventListener("abort", () => reject(new Error("provider gave up")), { once: true });
            }),
        ),
        context({ signal: controller.signal }),
      ),
    );
    controller.abort();
    expect(await pending).toMatchObject({ code: "cancelled", retryable: false });
  });

  it("keeps a ZerobusError given as the abort reason", async () => {
    const controller = new AbortController();
    const reason = new ZerobusError("deadline_exceeded", "connection attempt timed out");
    controller.abort(reason);
    const error = await failure(() =>
      resolveHeaders(
        toHeadersProvider(() => {
          throw new Error("aborted");
        }),
        context({ signal: controller.signal }),
      ),
    );
    expect(error).toBe(reason);
  });
});
