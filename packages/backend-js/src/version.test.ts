import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { userAgent } from "./user-agent.js";
import { PACKAGE_NAME, SDK_HEADER_VALUE, VERSION } from "./version.js";

describe("version and user agent", () => {
  it("match package.json", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string;
      version: string;
    };
    expect(PACKAGE_NAME).toBe(manifest.name);
    expect(VERSION).toBe(manifest.version);
    expect(SDK_HEADER_VALUE).toBe(`zerobus-node/${manifest.version}`);
  });

  it("names the application when given and refuses one that is not printable ASCII", () => {
    expect(userAgent(undefined)).toBe(`zerobus-node/${VERSION} (@zerobus/backend-js/${VERSION}; backend=js)`);
    expect(userAgent("etl/1.0")).toMatch(/ etl\/1\.0$/);
    expect(() => userAgent("bad\nname")).toThrow(expect.objectContaining({ code: "invalid_argument" }));
  });
});
