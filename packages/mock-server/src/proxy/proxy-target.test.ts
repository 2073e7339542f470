import { describe, expect, it } from "vitest";
import { createFaultProxy } from "./create-fault-proxy.js";
import type { FaultProxyOptions } from "./fault-proxy.js";
import { parseProxyTarget } from "./proxy-target.js";

describe("parseProxyTarget", () => {
  it.each([
    ["127.0.0.1:4443", { host: "127.0.0.1", port: 4443, scheme: "http" }],
    ["localhost:80", { host: "localhost", port: 80, scheme: "http" }],
    ["[::1]:443", { host: "::1", port: 443, scheme: "http" }],
    ["http://127.0.0.1:1234", { host: "127.0.0.1", port: 1234, scheme: "http" }],
    [
      "https://example.cloud.databricks.com",
      { host: "example.cloud.databricks.com", port: 443, scheme: "https" },
    ],
    ["http://example.com/some/path", { host: "example.com", port: 80, scheme: "http" }],
  ])("reads %s", (target, expected) => {
    expect(parseProxyTarget(target)).toEqual(expected);
  });

  it.each([
    ["127.0.0.1", "expected host:port"],
    ["127.0.0.1:0", "the port must be 1 to 65535"],
    ["127.0.0.1:70000", "expected host:port or an http(s):// URL"],
    ["ftp://example.com:21", "only http:// and https:// URLs"],
    ["host:1/path", "expected host:port"],
    ["", "expected host:port"],
  ])("refuses %j with a TypeError", (target, why) => {
    expect(() => parseProxyTarget(target)).toThrow(TypeError);
    expect(() => parseProxyTarget(target)).toThrow(
      `invalid fault proxy target ${JSON.stringify(target)}: ${why}`,
    );
  });
});

describe("createFaultProxy options", () => {
  it.each<[string, unknown, RegExp]>([
    ["no options", undefined, /options with a target are required/],
    ["no target", {}, /invalid fault proxy target undefined/],
    ["an unknown option", { target: "h:1", plans: [] }, /unknown option "plans"/],
    ["a bad port", { target: "h:1", port: 65536 }, /port must be an integer from 0 to 65535/],
    ["an empty host", { target: "h:1", host: "" }, /host must be a non-empty string/],
    [
      "a bad default plan",
      { target: "h:1", defaultPlan: { cut: {} } },
      /invalid fault plan .*cut.afterBytes/,
    ],
  ])("rejects %s with a TypeError", async (_, options, message) => {
    const created = createFaultProxy(options as FaultProxyOptions);
    await expect(created).rejects.toThrow(TypeError);
    await expect(created).rejects.toThrow(message);
  });

  it("takes the scheme of a URL target for its endpoint", async () => {
    await using proxy = await createFaultProxy({ target: "https://127.0.0.1:9" });
    expect(proxy.endpoint).toBe(`https://127.0.0.1:${proxy.port}`);
    expect(proxy.address).toBe(`127.0.0.1:${proxy.port}`);
    expect(proxy.host).toBe("127.0.0.1");
    await using plain = await createFaultProxy({ target: "127.0.0.1:9" });
    expect(plain.endpoint).toBe(`http://127.0.0.1:${plain.port}`);
  });
});
