import { ZerobusError } from "@zerobus/core";

/** The sections of a config file: profile name → lower-cased key → value. */
export type ConfigSections = Map<string, Map<string, string>>;

/**
 * Reads the INI dialect of `~/.databrickscfg` the way Python's `configparser` (used by the Databricks SDK)
 * does: `[profile]` headers, `key = value` or `key: value` with keys lower-cased and both sides trimmed,
 * whole-line `#` and `;` comments (also after a `[profile]` header), continuation lines indented deeper
 * than their key's line. Unlike the `ini` package it keeps `#` and
 * `;` inside values (a secret may contain them) and does not split dotted profile names. A malformed line
 * or a repeated profile or key is an `invalid_argument` naming the line, never quoting it (it may hold a
 * secret).
 */
export function parseConfigFile(text: string, path: string): ConfigSections {
  const sections: ConfigSections = new Map();
  let section: Map<string, string> | undefined;
  let lastKey: string | undefined;
  /** The indent of the last key's line: only lines indented deeper continue its value (as configparser). */
  let lastKeyIndent = 0;
  const lines = text.split(/\r\n|\r|\n/);
  const fail = (index: number, what: string) =>
    new ZerobusError("invalid_argument", `${path}, line ${index + 1}: ${what}`);
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) return;
    const indent = line.length - line.trimStart().length;
    if (indent > lastKeyIndent && section !== undefined && lastKey !== undefined) {
      section.set(lastKey, `${section.get(lastKey)}\n${trimmed}`);
      return;
    }
    // A comment may follow the header, as configparser allows: `[DEFAULT] ; written by hand`.
    const header = /^\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(trimmed);
    if (header !== null) {
      const name = (header[1] ?? "").trim();
      if (sections.has(name)) throw fail(index, `profile [${name}] appears twice`);
      section = new Map();
      sections.set(name, section);
      lastKey = undefined;
      return;
    }
    const delimiter = trimmed.search(/[=:]/);
    if (section === undefined) throw fail(index, "a setting before the first [profile] header");
    if (delimiter <= 0) throw fail(index, "expected `key = value`");
    const key = trimmed.slice(0, delimiter).trim().toLowerCase();
    if (section.has(key)) throw fail(index, `${key} is set twice in one profile`);
    section.set(key, trimmed.slice(delimiter + 1).trim());
    lastKey = key;
    lastKeyIndent = indent;
  });
  return sections;
}
