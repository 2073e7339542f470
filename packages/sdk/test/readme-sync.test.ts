import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defaultStreamOptions, ZerobusErrorCodes } from "@zerobus/core";
import { describe, expect, it } from "vitest";
import { codeBlocks, section, sectionBlocks, sectionTable } from "./readme-sections.js";

// The published README (packages/sdk/README.md, what npm shows) stands alone, so it repeats the root
// README's examples and tables. These checks keep the two from drifting (issue #16): its examples are the
// root's, byte for byte, so the root's run in readme.test.ts and in the packed-tarball job cover them.
const rootReadme = readFileSync(join(import.meta.dirname, "../../../README.md"), "utf8");
const sdkReadme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");

/** The sections whose examples the two READMEs share, by heading (the packed job reads the first two). */
const sharedSections = ["JSON records", "Protocol Buffers records", "Testing your code"];

describe("the sdk README's examples are the root README's", () => {
  for (const heading of sharedSections) {
    it(`"${heading}": the same code blocks`, () => {
      const blocks = sectionBlocks(sdkReadme, heading);
      expect(blocks.length).toBeGreaterThan(0);
      expect(blocks).toEqual(sectionBlocks(rootReadme, heading));
    });
  }

  it("has no example of its own (every block is in a shared section)", () => {
    const shared = sharedSections.flatMap((heading) => sectionBlocks(sdkReadme, heading));
    expect(codeBlocks(sdkReadme)).toEqual(shared);
  });
});

describe("the sdk README's options", () => {
  const options = section(sdkReadme, "Options");

  it("names every stream option of defaultStreamOptions, and recordType", () => {
    const names = [...Object.keys(defaultStreamOptions), "recordType"];
    expect(names.filter((name) => !options.includes(`\`${name}\``))).toEqual([]);
  });

  it("has the root README's stream options table, defaults included", () => {
    expect(sectionTable(sdkReadme, "Streams")).toEqual(sectionTable(rootReadme, "Options"));
  });

  it("names the environment defaults and the fromEnv() stream", () => {
    for (const name of ["ZEROBUS_SERVER_ENDPOINT", "DATABRICKS_HOST", "ZEROBUS_BACKEND"]) {
      expect(options).toContain(`\`${name}\``);
    }
    expect(sdkReadme).toContain("`sdk.createStream(table)`");
    expect(sdkReadme).toContain("`fromEnv()`");
  });
});

describe("the sdk README's errors", () => {
  it("names every ZerobusError code", () => {
    const errors = section(sdkReadme, "Errors");
    expect(ZerobusErrorCodes.filter((code) => !errors.includes(`\`${code}\``))).toEqual([]);
  });
});

describe("the sdk README stands alone", () => {
  it("does not send readers to the root README", () => {
    expect(sdkReadme).not.toMatch(/README at the root/i);
  });

  it.each(["Install", "Troubleshooting"])('has a "%s" section', (heading) => {
    expect(section(sdkReadme, heading).trim()).not.toBe("");
  });

  it("says which TypeScript target `await using` needs on Node 20 and 22", () => {
    expect(sdkReadme.replace(/\s+/g, " ")).toContain("TypeScript target ≤ ES2022 on Node 20/22");
  });
});
