import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";

it("the mock server README's per-connection budget example is budget-example.test.ts, verbatim", async () => {
  const readme = await readFile(new URL("../../../mock-server/README.md", import.meta.url), "utf8");
  const example = await readFile(new URL("./budget-example.test.ts", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("A server or load balancer that ends every connection"));
  expect(/```ts\n([\s\S]*?)```/.exec(section)?.[1]).toBe(example);
});
