import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BenchRecord } from "../results-file.js";
import { atLeast, atMost, shownValue } from "../verdict.js";
import { README, README_RESULTS } from "./readme-files.js";
import { normalizeMarkdown, readSections, renderSections, replaceSections } from "./readme-sections.js";

describe("the README's generated sections", () => {
  it("are what the committed results file renders (regenerate with `pnpm bench:readme`, never by hand)", () => {
    expect(existsSync(README_RESULTS)).toBe(true);
    const record = JSON.parse(readFileSync(README_RESULTS, "utf8")) as BenchRecord;
    expect(record.mode).toBe("full");
    const rendered = renderSections(record);
    const inReadme = readSections(readFileSync(README, "utf8"));
    for (const [name, content] of Object.entries(rendered)) {
      expect(normalizeMarkdown(inReadme.get(name) ?? ""), `section ${name}`).toBe(normalizeMarkdown(content));
    }
  });
});

describe("normalizeMarkdown", () => {
  it("compares a table as the formatter pads it equal to the generator's, and a changed cell not", () => {
    const generated = "| a | b |\n|---|--:|\n| 1 | 2.5× |";
    const padded = "| a   |    b |\n| --- | ---: |\n| 1   | 2.5× |\n";
    expect(normalizeMarkdown(padded)).toBe(normalizeMarkdown(generated));
    expect(normalizeMarkdown(padded.replace("2.5", "2.6"))).not.toBe(normalizeMarkdown(generated));
  });
});

describe("replaceSections", () => {
  const text = "intro\n<!-- bench:targets -->\nold\n<!-- /bench:targets -->\nafter\n";

  it("replaces a fenced section's content and keeps the fences and the text around them", () => {
    const replaced = replaceSections(text, { targets: "| a |" });
    expect(replaced).toBe("intro\n<!-- bench:targets -->\n\n| a |\n\n<!-- /bench:targets -->\nafter\n");
    expect(readSections(replaced).get("targets")).toBe("| a |");
  });

  it("refuses a section the text has no fences for", () => {
    expect(() => replaceSections(text, { memory: "x" })).toThrow(/bench:memory/);
  });
});

describe("shownValue", () => {
  it("shows a ratio to two decimals, or three when two would print the bound it missed", () => {
    expect(shownValue(atLeast("W3", "x", 1.1952, 1.2))).toBe("1.195×");
    expect(shownValue(atLeast("W3", "x", 1.2049, 1.2))).toBe("1.20×");
    expect(shownValue(atMost("W6", "x", 0.1913, 0.3))).toBe("0.19×");
    expect(shownValue(atMost("W4", "x", 1.503, 1.5))).toBe("1.503×");
  });
});
