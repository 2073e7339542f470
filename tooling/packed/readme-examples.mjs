// The root README's examples, by section: the first ```ts block after a `### <heading>` line. The same
// fence pattern as the sdk's README test (packages/sdk/test/readme.test.ts runs every block in the
// workspace); this job type-checks and runs the JSON and Protocol Buffers ones on the packed tarballs.

/**
 * The first TypeScript code block of the section titled `heading` (any level). Throws when the section or
 * its block is gone, so a README edit cannot silently drop an example from the job.
 */
export function readmeExample(markdown, heading) {
  const start = markdown.search(
    new RegExp(`^#+ ${heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`, "m"),
  );
  if (start < 0) throw new Error(`README.md has no section "${heading}"`);
  const match = /```ts\n([\s\S]*?)```/.exec(markdown.slice(start));
  if (!match) throw new Error(`README.md's section "${heading}" has no ts block`);
  return match[1];
}
