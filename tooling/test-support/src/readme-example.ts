import { readFile } from "node:fs/promises";

/**
 * The first TypeScript code block of the README at `readme` after the text `marker` (a heading, or the
 * sentence that introduces the example), for tests that keep a README example identical to a test file
 * that runs. Throws when the marker is not in the README, so a renamed heading cannot pass unnoticed.
 */
export async function readmeExampleAfter(readme: URL, marker: string): Promise<string | undefined> {
  const text = await readFile(readme, "utf8");
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${readme.pathname} has no ${JSON.stringify(marker)}`);
  return /```ts\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
}
