import { readFile } from "node:fs/promises";
import { readmeExampleAfter } from "@zerobus/test-support";
import { describe, expect, it } from "vitest";

describe("README", () => {
  it("shows readme-example.test.ts, which runs in this suite, verbatim under ## Example", async () => {
    const example = await readFile(new URL("./readme-example.test.ts", import.meta.url), "utf8");
    expect(await readmeExampleAfter(new URL("../README.md", import.meta.url), "## Example")).toBe(example);
  });
});
