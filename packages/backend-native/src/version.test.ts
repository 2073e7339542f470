import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PACKAGE_NAME, SDK_HEADER_VALUE, VERSION } from "./version.js";

describe("version", () => {
  it("matches package.json (pnpm version-packages keeps them equal)", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      name: string;
      version: string;
    };
    expect(PACKAGE_NAME).toBe(manifest.name);
    expect(VERSION).toBe(manifest.version);
    expect(SDK_HEADER_VALUE).toBe(`zerobus-node/${manifest.version}`);
  });
});
