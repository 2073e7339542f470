// Reading the READMEs' code by section, as tooling/packed/readme-examples.mjs does for the packed-tarball
// job: a section runs from its `#… <heading>` line to the next heading of the same or a higher level (so it
// holds its subsections), and its examples are its ```ts blocks, in order.

const tsBlock = /```ts\n([\s\S]*?)```/g;

/** Every TypeScript code block of `markdown`, in order. */
export function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(tsBlock)].map((match) => match[1] ?? "");
}

/**
 * The text of the section titled `heading` (any level), up to the next heading of its level or higher.
 * Throws when it is gone, so a README edit cannot silently drop what a test checks.
 */
export function section(markdown: string, heading: string): string {
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const start = new RegExp(`^(#+) ${escaped}[ \\t]*$`, "m").exec(markdown);
  if (!start) throw new Error(`no section "${heading}"`);
  const body = markdown.slice(start.index + start[0].length);
  const next = new RegExp(`^#{1,${(start[1] ?? "#").length}} `, "m").exec(withoutFences(body));
  return next ? body.slice(0, next.index) : body;
}

/** The TypeScript code blocks of the section titled `heading`. */
export function sectionBlocks(markdown: string, heading: string): string[] {
  return codeBlocks(section(markdown, heading));
}

/** The table rows (`| … |` lines) of the section titled `heading`. */
export function sectionTable(markdown: string, heading: string): string[] {
  return section(markdown, heading)
    .split("\n")
    .filter((line) => line.startsWith("|"));
}

/** `markdown` with code fences blanked (same length), so a `# comment` in a block is not a heading. */
function withoutFences(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, (fence) => fence.replace(/[^\n]/g, " "));
}
