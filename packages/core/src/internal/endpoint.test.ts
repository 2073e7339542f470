import { describe, expect, it } from "vitest";
import { parseEndpoint } from "./endpoint.js";

describe("parseEndpoint", () => {
  it("connects with TLS to https endpoints, port 443 by default, workspace id from the first label", () => {
    expect(parseEndpoint("https://1234567890123456.zerobus.us-west-2.cloud.databricks.com/", false)).toEqual({
      url: "https://1234567890123456.zerobus.us-west-2.cloud.databricks.com",
      target: "1234567890123456.zerobus.us-west-2.cloud.databricks.com:443",
      secure: true,
      firstHostLabel: "1234567890123456",
    });
    expect(parseEndpoint("https://localhost:8443/", false)).toMatchObject({
      target: "localhost:8443",
      secure: true,
    });
  });

  it("prepends https:// to a schemeless endpoint", () => {
    expect(parseEndpoint("987.zerobus.westeurope.azuredatabricks.net", false).url).toBe(
      "https://987.zerobus.westeurope.azuredatabricks.net",
    );
  });

  it("allows plaintext http only with allowInsecure", () => {
    expect(() => parseEndpoint("http://127.0.0.1:5000", false)).toThrow(
      /\[invalid_argument\].*allowInsecure/,
    );
    expect(parseEndpoint("http://127.0.0.1:5000", true)).toMatchObject({
      url: "http://127.0.0.1:5000",
      target: "127.0.0.1:5000",
      secure: false,
    });
  });

  it("keeps IPv6 literals bracketed in the target", () => {
    expect(parseEndpoint("http://[::1]:9000", true)).toMatchObject({
      target: "[::1]:9000",
      firstHostLabel: "::1",
    });
  });

  it.each([
    ["", /non-empty/],
    [42, /non-empty/],
    ["not a url", /not a valid URL/],
    ["grpc://host:1", /must use https:\/\//],
    ["https://user:pw@host", /credentials/],
    ["https://host/path", /bare origin/],
    ["https://host?x=1", /bare origin/],
    ["https://", /not a valid URL/],
  ])("refuses %j with invalid_argument", (endpoint, message) => {
    expect(() => parseEndpoint(endpoint, true)).toThrow(message);
  });
});
