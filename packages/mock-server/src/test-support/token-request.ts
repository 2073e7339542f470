import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "../oauth/token-endpoint.js";

/** Test-only: the `authorization_details` a Zerobus client sends for `table` (PROTOCOL.md §3.2). */
export function authorizationDetails(table: string): string {
  const [catalog, schema] = table.split(".");
  return JSON.stringify([
    {
      object_full_path: catalog,
      object_type: "CATALOG",
      privileges: ["USE CATALOG"],
      type: "unity_catalog_privileges",
    },
    {
      object_full_path: `${catalog}.${schema}`,
      object_type: "SCHEMA",
      privileges: ["USE SCHEMA"],
      type: "unity_catalog_privileges",
    },
    {
      object_full_path: table,
      object_type: "TABLE",
      privileges: ["SELECT", "MODIFY"],
      type: "unity_catalog_privileges",
    },
  ]);
}

/** Test-only: the form fields of a valid token request, overridable one by one (`undefined` removes one). */
export function tokenForm(
  table: string,
  overrides: Record<string, string | undefined> = {},
): URLSearchParams {
  const fields: Record<string, string | undefined> = {
    grant_type: "client_credentials",
    scope: "all-apis",
    resource: "api://databricks/workspaces/1234567890/zerobusDirectWriteApi",
    authorization_details: authorizationDetails(table),
    ...overrides,
  };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.set(key, value);
  return form;
}

/** Test-only: POSTs a token request with Basic credentials (the defaults unless given). */
export function requestToken(
  url: string,
  form: URLSearchParams,
  options: { clientId?: string; clientSecret?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const basic = Buffer.from(
    `${options.clientId ?? DEFAULT_CLIENT_ID}:${options.clientSecret ?? DEFAULT_CLIENT_SECRET}`,
  );
  return fetch(url, {
    method: "POST",
    headers: {
      authorization: `Basic ${basic.toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
      ...options.headers,
    },
    body: form.toString(),
  });
}
