import { describe, expect, it } from "vitest";
import { parseConfigFile } from "./parse-config-file.js";

const path = "/home/u/.databrickscfg";

describe("parseConfigFile", () => {
  it("reads profiles like Python's configparser", () => {
    const sections = parseConfigFile(
      [
        "# written by the Databricks CLI",
        "[DEFAULT]",
        "host  = https://dbc-1.cloud.databricks.com/",
        "TOKEN = dapi#with;hash  ",
        "",
        "; another comment",
        "[ingest.prod]",
        "host: https://adb-2.3.azuredatabricks.net",
        "client_id=abc",
        "client_secret = s=e:c",
        "description = first line",
        "  second line",
      ].join("\r\n"),
      path,
    );
    expect([...sections.keys()]).toEqual(["DEFAULT", "ingest.prod"]);
    expect(Object.fromEntries(sections.get("DEFAULT") ?? [])).toEqual({
      host: "https://dbc-1.cloud.databricks.com/",
      token: "dapi#with;hash",
    });
    expect(Object.fromEntries(sections.get("ingest.prod") ?? [])).toEqual({
      host: "https://adb-2.3.azuredatabricks.net",
      client_id: "abc",
      client_secret: "s=e:c",
      description: "first line\nsecond line",
    });
  });

  it.each([
    ["a setting before any profile", "token = x", /line 1: a setting before the first \[profile\]/],
    ["a line without a delimiter", "[a]\njust-a-secret-value", /line 2: expected `key = value`/],
    ["a line starting with the delimiter", "[a]\n= x", /line 2: expected `key = value`/],
    ["a repeated profile", "[a]\n[b]\n[a]", /line 3: profile \[a\] appears twice/],
    ["a repeated key", "[a]\ntoken = 1\nTOKEN = 2", /line 3: token is set twice/],
  ])("refuses %s, naming the line but not quoting it", (_, text, message) => {
    expect(() => parseConfigFile(text, path)).toThrow(message);
    expect(() => parseConfigFile(text, path)).toThrow(expect.objectContaining({ code: "invalid_argument" }));
    expect(() => parseConfigFile(text, path)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("just-a-secret-value") }),
    );
  });

  it("reads keys that are all indented alike as separate keys; only deeper lines continue a value", () => {
    const text = "[DEFAULT]\n  host = https://x.cloud.databricks.com\n  token = dapi123\n    more\n";
    const sections = parseConfigFile(text, "f");
    expect(Object.fromEntries(sections.get("DEFAULT") ?? [])).toEqual({
      host: "https://x.cloud.databricks.com",
      token: "dapi123\nmore",
    });
  });

  it("accepts a comment after a profile header", () => {
    const sections = parseConfigFile(
      "[DEFAULT] ; written by hand\ntoken = dapi123\n[prod] # team\nhost = h\n",
      "f",
    );
    expect(sections.get("DEFAULT")?.get("token")).toBe("dapi123");
    expect(sections.get("prod")?.get("host")).toBe("h");
  });
});
