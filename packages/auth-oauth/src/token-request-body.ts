import type { TableNameParts } from "@zerobus/core";

/**
 * The form body of the client-credentials request, exactly as PROTOCOL.md B §3.1–3.2: the grant, the
 * `all-apis` scope, the workspace's Zerobus resource, and `authorization_details` granting the table's
 * catalog, schema and table. Keys of each detail are in alphabetical order, as the reference serialises
 * them, so the two SDKs send byte-identical bodies.
 */
export function tokenRequestBody(table: TableNameParts, workspaceId: string): URLSearchParams {
  const schema = `${table.catalog}.${table.schema}`;
  const authorizationDetails = [
    detail(table.catalog, "CATALOG", ["USE CATALOG"]),
    detail(schema, "SCHEMA", ["USE SCHEMA"]),
    detail(`${schema}.${table.table}`, "TABLE", ["SELECT", "MODIFY"]),
  ];
  return new URLSearchParams([
    ["grant_type", "client_credentials"],
    ["scope", "all-apis"],
    ["resource", `api://databricks/workspaces/${workspaceId}/zerobusDirectWriteApi`],
    ["authorization_details", JSON.stringify(authorizationDetails)],
  ]);
}

function detail(path: string, objectType: string, privileges: string[]) {
  return {
    object_full_path: path,
    object_type: objectType,
    privileges,
    type: "unity_catalog_privileges",
  };
}
