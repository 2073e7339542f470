import type { TokenStep } from "../oauth/token-step.js";
import { badRequest } from "./admin-request-error.js";
import type { AdminRoute } from "./admin-route.js";
import { bodyObject, optionalString } from "./body-object.js";
import { connectionJson } from "./recording-json.js";

/** Routes on the whole server: what it is, resetting it, its connections, tokens and token endpoint. */
export const serverRoutes: readonly AdminRoute[] = [
  {
    method: "GET",
    path: "/info",
    summary:
      "endpoint, address, workspaceUrl, tokenUrl, clientId, clientSecret (the mock's), ca, adminUrl, pid",
    handle: ({ info }) => info(),
  },
  {
    method: "POST",
    path: "/reset",
    summary:
      "forget tables, scripts, ack policies, connections and the token log (live streams end UNAVAILABLE)",
    handle: ({ server, scripts }) => {
      server.reset();
      scripts.clear();
      return { reset: true };
    },
  },
  {
    method: "GET",
    path: "/connections",
    summary: "every connection in arrival order, including ones that never named a table",
    handle: ({ server }) => ({ connections: server.connections.map(connectionJson) }),
  },
  {
    method: "POST",
    path: "/tokens",
    summary: 'issue a token without OAuth: { "table"?, "ttlSeconds"? } (no table: valid for every table)',
    handle: ({ server, body }) => {
      const fields = bodyObject(body, ["table", "ttlSeconds"]);
      const table = optionalString(fields, "table");
      const { ttlSeconds } = fields;
      if (ttlSeconds !== undefined && !(typeof ttlSeconds === "number" && ttlSeconds > 0)) {
        throw badRequest("ttlSeconds must be a number > 0");
      }
      const issued = server.issueToken(table, ttlSeconds === undefined ? {} : { ttlSeconds });
      return {
        token: issued.token,
        table: issued.table ?? null,
        expiresAt: issued.expiresAt,
        headers: {
          authorization: `Bearer ${issued.token}`,
          ...(table === undefined ? {} : { "x-databricks-zerobus-table-name": table }),
        },
      };
    },
  },
  {
    method: "POST",
    path: "/tokens/revoke",
    summary:
      'revoke tokens: { "token" } or { "table" } or {} for all; their live streams end UNAUTHENTICATED',
    handle: ({ server, body }) => ({ tokens: server.revokeTokens(tokenFilter(body)) }),
  },
  {
    method: "POST",
    path: "/tokens/expire",
    summary:
      'expire tokens now: { "token" } or { "table" } or {} for all; their live streams end UNAUTHENTICATED',
    handle: ({ server, body }) => ({ tokens: server.expireTokens(tokenFilter(body)) }),
  },
  {
    method: "GET",
    path: "/oauth/requests",
    summary: "token requests received (never a secret or a token)",
    handle: ({ server }) => ({ requests: server.oauth.requests }),
  },
  {
    method: "PUT",
    path: "/oauth/script",
    summary:
      'script the token endpoint: [{ "error": { "status": 503 } }, { "token": { "expiresInSeconds": 1 } }]',
    handle: ({ server, body }) => {
      const steps = tokenStepsFromJson(body);
      server.oauth.script(steps);
      return { steps: steps.length };
    },
  },
];

function tokenFilter(body: unknown): string | { table: string } | undefined {
  const fields = bodyObject(body, ["token", "table"]);
  const token = optionalString(fields, "token");
  const table = optionalString(fields, "table");
  if (token !== undefined && table !== undefined) throw badRequest("give token or table, not both");
  if (token !== undefined) return token;
  return table === undefined ? undefined : { table };
}

const TOKEN_STEP_KINDS = ["error", "token", "malformedJson"];

function tokenStepsFromJson(body: unknown): TokenStep[] {
  if (!Array.isArray(body)) throw badRequest("send the token endpoint's script as a JSON array of steps");
  body.forEach((step: unknown, index) => {
    const keys = typeof step === "object" && step !== null ? Object.keys(step) : [];
    const kinds = keys.filter((key) => TOKEN_STEP_KINDS.includes(key));
    const extra = keys.find((key) => !TOKEN_STEP_KINDS.includes(key) && key !== "delayMs");
    if (kinds.length !== 1 || extra !== undefined || Array.isArray(step)) {
      throw badRequest(
        `steps[${index}] must be an object with one of ${TOKEN_STEP_KINDS.join(", ")} (and delayMs), got ${JSON.stringify(step)}`,
      );
    }
  });
  return body as TokenStep[];
}
