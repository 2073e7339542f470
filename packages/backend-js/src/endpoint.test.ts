import { describe, expect, it } from "vitest";
import { parseEndpoint } from "./endpoint.js";

describe("parseEndpoint", () => {
  it("connects with TLS to https endpoints, port 443 by default", () => {
    expect(
      parseEndpoint({
        endpoint: "https://1234.zerobus.us-west-2.cloud.databricks.com",
        allowInsecure: false,
      }),
    ).toEqual({ target: "1234.zerobus.us-west-2.cloud.databricks.com:443", secure: true });
    expect(parseEndpoint({ endpoint: "https://localhost:8443/", allowInsecure: false })).toEqual({
      target: "localhost:8443",
      secure: true,
    });
  });

  it("allows plaintext http only with allowInsecure", () => {
    expect(parseEndpoint({ endpoint: "http://127.0.0.1:5000", allowInsecure: true })).toEqual({
      target: "127.0.0.1:5000",
      secure: false,
    });
    expect(() => parseEndpoint({ endpoint: "http://127.0.0.1:5000", allowInsecure: false })).toThrow(
      expect.objectContaining({
        code: "invalid_argument",
        message: expect.stringContaining("allowInsecure"),
      }),
    );
  });

  it("keeps IPv6 literals bracketed", () => {
    expect(parseEndpoint({ endpoint: "http://[::1]:9000", allowInsecure: true }).target).toBe("[::1]:9000");
  });

  it.each([
    ["not a url", "is not a URL"],
    ["grpc://host:1", "must start with https:// or http://"],
    ["https://host/path", "must not have a path"],
  ])("refuses %s", (endpoint, message) => {
    expect(() => parseEndpoint({ endpoint, allowInsecure: true })).toThrow(
      expect.objectContaining({ code: "invalid_argument", message: expect.stringContaining(message) }),
    );
  });
});
