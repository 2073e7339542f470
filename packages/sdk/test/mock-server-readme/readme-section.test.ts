import { readFile } from "node:fs/promises";
import { readmeExampleAfter } from "@zerobus/test-support";
import { expect, it } from "vitest";

it("the mock server README's per-connection budget example is budget-example.test.ts, verbatim", async () => {
  const example = await readFile(new URL("./budget-example.test.ts", import.meta.url), "utf8");
  const readme = new URL("../../../mock-server/README.md", import.meta.url);
  const marker = "A server or load balancer that ends every connection";
  expect(await readmeExampleAfter(readme, marker)).toBe(example);
});
