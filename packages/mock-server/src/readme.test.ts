import { readFile } from "node:fs/promises";
import { readmeExampleAfter } from "@zerobus/test-support";
import { describe, expect, it } from "vitest";

describe("README", () => {
  it.each([
    ["readme/write-events.ts", "## Example"],
    ["readme/example.test.ts", "A test of it against the server"],
  ])("shows %s, which runs in this suite, verbatim after %s", async (file, marker) => {
    const example = await readFile(new URL(`./${file}`, import.meta.url), "utf8");
    expect(await readmeExampleAfter(new URL("../README.md", import.meta.url), marker)).toBe(example);
  });
});
