import { describe, expect, it } from "vitest";
import { fromOAuthClientCredentials } from "./index.js";

const valid = {
  workspaceUrl: "https://example.cloud.databricks.com",
  clientId: "id",
  clientSecret: "s3cret-value",
};

describe("fromOAuthClientCredentials options", () => {
  it("does no I/O at construction: a provider is built without a reachable endpoint", () => {
    const provider = fromOAuthClientCredentials({ ...valid, workspaceUrl: "https://unreachable.invalid" });
    expect(typeof provider.getHeaders).toBe("function");
  });

  it.each([
    ["no options", undefined, /options must be an object/],
    ["a missing workspaceUrl", { ...valid, workspaceUrl: undefined }, /workspaceUrl is required/],
    ["a bad workspaceUrl", { ...valid, workspaceUrl: "https://exa mple" }, /workspaceUrl is not a valid URL/],
    ["a missing clientId", { ...valid, clientId: undefined }, /clientId is required/],
    ["an empty clientId", { ...valid, clientId: " " }, /clientId is required/],
    ["a clientId with a colon", { ...valid, clientId: "a:b" }, /clientId must not contain a colon/],
    ["a missing clientSecret", { ...valid, clientSecret: undefined }, /clientSecret is required/],
    ["a clientSecret with a line break", { ...valid, clientSecret: "a\nb" }, /clientSecret must not contain/],
    ["an empty workspaceId", { ...valid, workspaceId: "" }, /workspaceId must be/],
    ["a workspaceId with a slash", { ...valid, workspaceId: "1/2" }, /workspaceId must be/],
    ["a zero timeoutMs", { ...valid, timeoutMs: 0 }, /timeoutMs must be a positive integer/],
    ["a fractional timeoutMs", { ...valid, timeoutMs: 1.5 }, /timeoutMs must be a positive integer/],
    [
      "a logger without debug",
      { ...valid, logger: {} },
      /logger of fromOAuthClientCredentials must have debug, info, warn and error methods/,
    ],
    ["a clock that is not a function", { ...valid, now: 5 }, /now must be a function/],
    ["an unknown option", { ...valid, client_secret: "x" }, /unknown option "client_secret"/],
  ])("refuses %s with invalid_argument", (_, options, message) => {
    const build = () => fromOAuthClientCredentials(options as never);
    expect(build).toThrow(message);
    expect(build).toThrow(expect.objectContaining({ code: "invalid_argument", retryable: false }));
    expect(build).toThrow(expect.objectContaining({ message: expect.not.stringContaining("s3cret-value") }));
  });
});
