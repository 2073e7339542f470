import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ZerobusError } from "../../zerobus-error.js";
import { testHeadersContext } from "../test-headers-context.js";
import { chain } from "./chain.js";
import { credentialsNotFound, credentialsSearched, isCredentialsNotFound } from "./credentials-not-found.js";
import { namedProvider } from "./named-provider.js";

const context = testHeadersContext();

const missing = (what: string) => () => {
  throw credentialsNotFound(what);
};

describe("chain", () => {
  it("answers with the first provider that has credentials, asking in order on every call", async () => {
    const asked: string[] = [];
    const provider = chain(
      () => {
        asked.push("a");
        throw credentialsNotFound("A not set");
      },
      {
        getHeaders: async () => {
          asked.push("b");
          return { authorization: "Bearer b" };
        },
      },
      () => {
        asked.push("c");
        return { authorization: "Bearer c" };
      },
    );
    expect(await provider.getHeaders(context)).toEqual({ authorization: "Bearer b" });
    expect(await provider.getHeaders(context)).toEqual({ authorization: "Bearer b" });
    expect(asked).toEqual(["a", "b", "a", "b"]);
  });

  it("stops at a configured provider that fails instead of masking it", async () => {
    const failure = new ZerobusError("auth_failed", "token endpoint refused the client");
    let laterAsked = false;
    const provider = chain(
      () => {
        throw failure;
      },
      () => {
        laterAsked = true;
        return {};
      },
    );
    await expect(provider.getHeaders(context)).rejects.toBe(failure);
    expect(laterAsked).toBe(false);
  });

  it("lists what every provider looked for when none has credentials, and nests", async () => {
    const inner = chain(missing("DATABRICKS_TOKEN not set"), missing("no ~/.databrickscfg"));
    const outer = chain(inner, missing("MY_TOKEN not set"));
    const error = await Promise.resolve(outer.getHeaders(context)).catch((e: unknown) => e);
    expect(isCredentialsNotFound(error)).toBe(true);
    expect(error).toMatchObject({ code: "auth_failed", retryable: false });
    expect(credentialsSearched(error)).toEqual([
      "DATABRICKS_TOKEN not set",
      "no ~/.databrickscfg",
      "MY_TOKEN not set",
    ]);
    expect(credentialsSearched(new Error("other"))).toEqual([]);
    expect((error as Error).message).toBe(
      "[auth_failed] no credentials found; looked for: DATABRICKS_TOKEN not set; no ~/.databrickscfg; " +
        "MY_TOKEN not set",
    );
  });

  it("refuses an empty chain and a link that is not a provider", () => {
    expect(() => chain()).toThrow(/at least one/);
    expect(() => chain(() => ({}), 42 as never)).toThrow(/provider 1 is not a headers provider/);
  });
});

describe("namedProvider", () => {
  it("shows only its name and details to inspect, JSON and String", async () => {
    const secret = "s3cr3t-value";
    const provider = namedProvider("TestProvider", { clientId: "abc" }, () => ({ authorization: secret }));
    expect(inspect(provider)).toBe('TestProvider {"clientId":"abc"}');
    expect(inspect({ nested: provider }, { depth: 5 })).not.toContain(secret);
    expect(JSON.stringify(provider)).toBe('{"provider":"TestProvider","clientId":"abc"}');
    expect(String(provider)).toBe('TestProvider {"clientId":"abc"}');
    expect(await provider.getHeaders(context)).toEqual({ authorization: secret });
  });
});
