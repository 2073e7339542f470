import { readFile } from "node:fs/promises";
import { readmeExampleAfter } from "@zerobus/test-support";
import { describe, expect, it } from "vitest";

describe("README", () => {
  it("shows readme-fault-proxy.test.ts, which runs in this suite, verbatim under ## Fault proxy", async () => {
    const example = await readFile(new URL("./readme-fault-proxy.test.ts", import.meta.url), "utf8");
    const readme = new URL("../../README.md", import.meta.url);
    expect(await readmeExampleAfter(readme, "## Fault proxy")).toBe(example);
  });
});
