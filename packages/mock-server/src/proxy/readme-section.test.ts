import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

describe("README", () => {
  it("shows readme-fault-proxy.test.ts, which runs in this suite, verbatim under ## Fault proxy", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const example = await readFile(new URL("./readme-fault-proxy.test.ts", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Fault proxy"));
    expect(/```ts\n([\s\S]*?)```/.exec(section)?.[1]).toBe(example);
  });
});
