import { readFile } from "node:fs/promises";
import { readmeExampleAfter } from "@zerobus/test-support";
import { describe, expect, it } from "vitest";

const README = new URL("../../README.md", import.meta.url);
const source = (file: string) => readFile(new URL(file, import.meta.url), "utf8");

describe("README", () => {
  it.each([
    ["declared-tables.test.ts", "## Declared tables"],
    ["vitest-fixture.test.ts", "## Testing with vitest"],
  ])("shows %s, which runs in this suite, verbatim under %s", async (file, marker) => {
    expect(await readmeExampleAfter(README, marker)).toBe(await source(file));
  });
});
