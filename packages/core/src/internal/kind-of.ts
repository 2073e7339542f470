/**
 * What a refused value is, for "…; got <kind>" messages: "undefined", "null", "an array", "a number",
 * "an Int8Array", "a Map". One wording for every refusal, whichever layer refuses.
 */
export function kindOf(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return withArticle(typeof value);
  const name = (value as object).constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? withArticle(name) : "an object";
}

// No "u": the names that reach here say "you" (Uint8Array, URL); "undefined" never gets an article.
function withArticle(noun: string): string {
  return /^[aeio]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}
