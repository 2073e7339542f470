import { tableFromAuthorizationDetails } from "./authorization-details.js";

/** An HTTP request to the token endpoint, in the shape both the HTTP server and msw can give. */
export interface TokenHttpRequest {
  method: string;
  /** Header values by lower-case name. */
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
}

/** What the credentials and form of a valid token request say. */
export interface TokenGrant {
  clientId: string;
  workspaceId: string;
  table: string;
}

/** An OAuth error answer (RFC 6749 §5.2 shape). */
export interface TokenRequestError {
  status: number;
  error: string;
  description: string;
}

/** The client credentials and workspace the endpoint expects. */
export interface TokenRequestRules {
  clientId: string;
  clientSecret: string;
  /** When set, the `resource` must name this workspace id; otherwise any id is accepted. */
  workspaceId: string | undefined;
}

const FIELDS = ["grant_type", "scope", "resource", "authorization_details"] as const;
const RESOURCE = /^api:\/\/databricks\/workspaces\/([^/]+)\/zerobusDirectWriteApi$/;

/**
 * Checks a token request exactly as PROTOCOL.md §3.1 describes it: POST, HTTP Basic client credentials,
 * `application/x-www-form-urlencoded`, and exactly the fields `grant_type=client_credentials`,
 * `scope=all-apis`, `resource=api://databricks/workspaces/{id}/zerobusDirectWriteApi` and an
 * `authorization_details` naming one table. Returns the grant, or the first problem as an OAuth error.
 * `clientId` is returned alongside an error when the credentials were readable, for the request log.
 */
export function checkTokenRequest(
  request: TokenHttpRequest,
  rules: TokenRequestRules,
): { grant: TokenGrant } | { problem: TokenRequestError; clientId?: string } {
  if (request.method.toUpperCase() !== "POST") {
    return {
      problem: {
        status: 405,
        error: "invalid_request",
        description: `method ${request.method} not allowed; use POST`,
      },
    };
  }
  const credentials = basicCredentials(request.headers.authorization);
  if (!credentials) {
    return {
      problem: {
        status: 401,
        error: "invalid_client",
        description: "missing or malformed HTTP Basic client authentication",
      },
    };
  }
  if (credentials.id !== rules.clientId || credentials.secret !== rules.clientSecret) {
    return {
      problem: { status: 401, error: "invalid_client", description: "client authentication failed" },
      clientId: credentials.id,
    };
  }
  const clientId = credentials.id;
  const fail = (error: string, description: string) => ({
    problem: { status: 400, error, description },
    clientId,
  });
  const contentType = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (contentType !== "application/x-www-form-urlencoded") {
    return fail(
      "invalid_request",
      `content type must be application/x-www-form-urlencoded, got "${contentType}"`,
    );
  }
  const form = new URLSearchParams(request.body);
  for (const name of new Set(form.keys())) {
    if (!(FIELDS as readonly string[]).includes(name))
      return fail("invalid_request", `unexpected form field "${name}"`);
    if (form.getAll(name).length > 1)
      return fail("invalid_request", `form field "${name}" given more than once`);
  }
  for (const name of FIELDS) {
    if (!form.get(name)) return fail("invalid_request", `missing form field "${name}"`);
  }
  if (form.get("grant_type") !== "client_credentials") {
    return fail("unsupported_grant_type", `grant_type must be client_credentials`);
  }
  if (form.get("scope") !== "all-apis") return fail("invalid_scope", `scope must be all-apis`);
  const workspaceId = RESOURCE.exec(form.get("resource") ?? "")?.[1];
  if (!workspaceId) {
    return fail(
      "invalid_target",
      "resource must be api://databricks/workspaces/{workspace_id}/zerobusDirectWriteApi",
    );
  }
  if (rules.workspaceId !== undefined && workspaceId !== rules.workspaceId) {
    return fail(
      "invalid_target",
      `resource names workspace "${workspaceId}", expected "${rules.workspaceId}"`,
    );
  }
  try {
    const { table } = tableFromAuthorizationDetails(form.get("authorization_details") ?? "");
    return { grant: { clientId, workspaceId, table } };
  } catch (error) {
    return fail("invalid_authorization_details", (error as Error).message);
  }
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  // Compared as sent (reqwest and fetch clients do not form-encode the parts, RFC 6749 §2.3.1 notwithstanding).
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
