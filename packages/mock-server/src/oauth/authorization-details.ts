/** One `unity_catalog_privileges` entry of the token request (PROTOCOL.md §3.2). */
export interface AuthorizationDetail {
  type: string;
  object_type: string;
  object_full_path: string;
  privileges: string[];
}

const REQUIRED: ReadonlyArray<{ objectType: string; parts: number; privileges: readonly string[] }> = [
  { objectType: "CATALOG", parts: 1, privileges: ["USE CATALOG"] },
  { objectType: "SCHEMA", parts: 2, privileges: ["USE SCHEMA"] },
  { objectType: "TABLE", parts: 3, privileges: ["SELECT", "MODIFY"] },
];

/**
 * Parses the `authorization_details` form field and returns the table it grants: a JSON array of
 * `unity_catalog_privileges` entries naming the catalog (`USE CATALOG`), the schema (`USE SCHEMA`) and the
 * table (`SELECT`, `MODIFY`) of one `catalog.schema.table`. Throws an `Error` saying what is missing.
 */
export function tableFromAuthorizationDetails(text: string): {
  table: string;
  details: AuthorizationDetail[];
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("authorization_details is not valid JSON");
  }
  if (!Array.isArray(parsed)) throw new Error("authorization_details must be a JSON array");
  const details = parsed.map(toDetail);
  const table = details.find((detail) => detail.object_type === "TABLE")?.object_full_path;
  if (!table) throw new Error("authorization_details has no TABLE entry");
  const parts = table.split(".");
  if (parts.length !== 3 || parts.some((part) => part === "")) {
    throw new Error(`authorization_details TABLE path "${table}" is not catalog.schema.table`);
  }
  for (const required of REQUIRED) {
    const path = parts.slice(0, required.parts).join(".");
    const entry = details.find(
      (detail) => detail.object_type === required.objectType && detail.object_full_path === path,
    );
    if (!entry) throw new Error(`authorization_details has no ${required.objectType} entry for "${path}"`);
    const missing = required.privileges.filter((privilege) => !entry.privileges.includes(privilege));
    if (missing.length > 0) {
      throw new Error(
        `authorization_details ${required.objectType} "${path}" lacks privileges ${missing.join(", ")}`,
      );
    }
  }
  return { table, details };
}

function toDetail(value: unknown, index: number): AuthorizationDetail {
  const entry = value as Partial<AuthorizationDetail> | null;
  if (
    typeof entry !== "object" ||
    entry === null ||
    entry.type !== "unity_catalog_privileges" ||
    typeof entry.object_type !== "string" ||
    typeof entry.object_full_path !== "string" ||
    !Array.isArray(entry.privileges) ||
    !entry.privileges.every((privilege) => typeof privilege === "string")
  ) {
    throw new Error(
      `authorization_details[${index}] must be {"type":"unity_catalog_privileges","object_type","object_full_path","privileges":[…]}`,
    );
  }
  return entry as AuthorizationDetail;
}
