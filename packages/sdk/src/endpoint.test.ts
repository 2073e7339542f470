import { describe, expect, it } from "vitest";
import { parseEndpoint } from "./endpoint.js";

describe("parseEndpoint", () => {
  it("keeps an https endpoint and takes the workspace id from the first host label", () => {
    expect(parseEndpoint("https://1234567890123456.zerobus.us-west-2.cloud.databricks.com/", false)).toEqual({
      url: "https://1234567890123456.zerobus.us-west-2.cloud.databricks.com",
      insecure: false,
      firstHostLabel: "1234567890123456",
    });
  });

  it("prepends https:// to a schemeless endpoint", () => {
    expect(parseEndpoint("987.zerobus.westeurope.azuredatabricks.net", false).url).toBe(
      "https://987.zerobus.westeurope.azuredatabricks.net",
    );
  });

  it("accepts http:// only with allowInsecure", () => {
    expect(() => parseEndpoint("http://127.0.0.1:5000", false)).toThrow(
      /\[invalid_argument\].*allowInsecure/,
    );
    expect(parseEndpoint("http://127.0.0.1:5000", true)).toMatchObject({
      url: "http://127.0.0.1:5000",
      insecure: true,
    });
  });

  it.each([
    ["", /non-empty/],
    [42, /non-empty/],
    ["ftp://host", /https:\/\//],
    ["https://user:pw@host", /credentials/],
    ["https://host/path", /bare origin/],
    ["https://host?x=1", /bare origin/],
    ["https://", /not a valid URL/],
  ])("refuses %j", (endpoint, message) => {
    expect(() => parseEndpoint(endpoint, true)).toThrow(message);
  });
});
