import { describe, expect, it } from "vitest";
import { normalizeWorkspaceUrl, tokenEndpoint } from "./workspace-url.js";

describe("normalizeWorkspaceUrl", () => {
  it.each([
    ["https://dbc-a1b2c3d4-e5f6.cloud.databricks.com", "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com"],
    ["https://dbc-a1b2c3d4-e5f6.cloud.databricks.com/", "https://dbc-a1b2c3d4-e5f6.cloud.databricks.com"],
    [
      "https://adb-1234567890123456.7.azuredatabricks.net///",
      "https://adb-1234567890123456.7.azuredatabricks.net",
    ],
    ["adb-1234567890123456.7.azuredatabricks.net", "https://adb-1234567890123456.7.azuredatabricks.net"],
    ["  HTTPS://Example.Cloud.Databricks.com:8443/ \n", "https://example.cloud.databricks.com:8443"],
    ["http://127.0.0.1:40123/", "http://127.0.0.1:40123"],
    ["http://localhost:8080", "http://localhost:8080"],
    ["http://[::1]:9000", "http://[::1]:9000"],
  ])("%j → %s", (input, expected) => {
    expect(normalizeWorkspaceUrl(input)).toBe(expected);
    expect(tokenEndpoint(normalizeWorkspaceUrl(input))).toBe(`${expected}/oidc/v1/token`);
  });

  it.each([
    [undefined, /workspaceUrl is required/],
    ["   ", /workspaceUrl is required/],
    ["https://", /not a valid URL/],
    ["https://exa mple.com", /not a valid URL/],
    ["ftp://example.com", /must use https:\/\/, not ftp:/],
    ["https://user:pw@example.com", /user name or password/],
    ["https://example.com/?o=123", /origin only \(https:\/\/example.com\)/],
    ["https://example.com/#x", /origin only/],
    ["https://example.com/browse", /origin only/],
    ["http://example.com", /plain http:\/\/ is allowed only for loopback/],
  ])("refuses %j with invalid_argument", (input, message) => {
    expect(() => normalizeWorkspaceUrl(input)).toThrow(message);
    expect(() => normalizeWorkspaceUrl(input)).toThrow(expect.objectContaining({ code: "invalid_argument" }));
  });

  it("never quotes a password given in the URL", () => {
    expect(() => normalizeWorkspaceUrl("https://user:hunter2@example.com")).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });
});
