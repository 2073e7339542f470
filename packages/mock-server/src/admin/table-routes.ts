import type { AckPolicy } from "../script/ack-policy.js";
import { AdminRequestError, badRequest } from "./admin-request-error.js";
import { type AdminRoute, queryInteger } from "./admin-route.js";
import { bodyObject } from "./body-object.js";
import { declarationFromJson } from "./declaration-from-json.js";
import { recordJson, tableSummaryJson } from "./recording-json.js";
import { scriptFromJson } from "./script-from-json.js";
import { statusFromJson } from "./status-from-json.js";

/** Default and longest wait of the long-polls: long enough for a slow CI, short of proxies' idle cut-offs. */
const DEFAULT_WAIT_MS = 5000;
const MAX_WAIT_MS = 120_000;

/** Routes on one table (`{name}` is the three-part table name) and their server-wide counterparts. */
export const tableRoutes: readonly AdminRoute[] = [
  {
    method: "GET",
    path: "/tables",
    summary: "every table seen, with counts",
    handle: ({ server }) => ({
      tables: [...server.tables.values()].map((table) => ({
        name: table.name,
        recordCount: table.recordCount,
        connections: table.connections.length,
        live: server.live(table.name).length,
      })),
    }),
  },
  {
    method: "PUT",
    path: "/tables/{name}",
    summary: 'declare a table: { "columns": { "col": "STRING" } } or { "descriptor": "<base64>" }',
    handle: ({ server, params, body }) => {
      const declaration = declarationFromJson(body);
      server.declareTable(params.name!, declaration);
      return { table: params.name, declared: "columns" in declaration ? "columns" : "descriptor" };
    },
  },
  {
    method: "GET",
    path: "/tables/{name}",
    summary: "a table's record count, duplicates and connections (how each ended, acks sent)",
    handle: ({ server, params }) => tableSummaryJson(server.table(params.name!)),
  },
  {
    method: "GET",
    path: "/tables/{name}/records",
    summary: "records received; ?wait=N waits (up to ?timeoutMs=, default 5000) until N arrived, else 408",
    query: ["wait", "timeoutMs"],
    handle: async ({ server, params, query }) => {
      const table = server.table(params.name!);
      const wait = queryInteger(query, "wait", 0);
      const timeoutMs = Math.min(queryInteger(query, "timeoutMs", DEFAULT_WAIT_MS), MAX_WAIT_MS);
      try {
        await table.waitForRecords(wait, { timeoutMs });
      } catch (error) {
        throw new AdminRequestError(408, (error as Error).message);
      }
      return { table: table.name, recordCount: table.recordCount, records: table.records.map(recordJson) };
    },
  },
  {
    method: "PUT",
    path: "/tables/{name}/script",
    summary: 'install a script: [steps] or { "steps": [...], "scope": "table" | "connection" }',
    handle: ({ server, params, body, scripts }) => {
      const { steps, options } = scriptFromJson(body);
      scripts.set(params.name!, server.script(params.name!, steps, options));
      return { table: params.name, steps: steps.length, scope: options.scope ?? "table" };
    },
  },
  {
    method: "GET",
    path: "/tables/{name}/script",
    summary:
      "progress of the script installed here; ?waitDone=true waits (?timeoutMs=) until it ran, else 408",
    query: ["waitDone", "timeoutMs"],
    handle: async ({ params, query, scripts }) => {
      const handle = scripts.get(params.name!);
      if (handle === undefined) {
        throw new AdminRequestError(404, `no script was installed for ${params.name} through this endpoint`);
      }
      const waitDone = query.get("waitDone");
      if (waitDone !== null && waitDone !== "true" && waitDone !== "false") {
        throw badRequest(`waitDone must be true or false, got ${JSON.stringify(waitDone)}`);
      }
      if (waitDone === "true") {
        try {
          await handle.waitDone(Math.min(queryInteger(query, "timeoutMs", DEFAULT_WAIT_MS), MAX_WAIT_MS));
        } catch (error) {
          throw new AdminRequestError(408, (error as Error).message);
        }
      }
      return { table: params.name, position: handle.position, done: handle.done };
    },
  },
  ...bothScopes(
    {
      method: "PUT",
      path: "/ack-policy",
      summary:
        'set the ack policy: "immediate", "coalesced", "never", { "delayMs" }, { "everyRecords" }, { "coalesceMs" }',
      handle: ({ server, params, body }) => {
        if (body === undefined)
          throw badRequest('send the policy as JSON, such as "never" or { "delayMs": 50 }');
        server.setAckPolicy(params.name, body as AckPolicy);
        return { table: params.name ?? null, ackPolicy: body };
      },
    },
    "the server default, for tables without their own",
  ),
  ...bothScopes({
    method: "POST",
    path: "/release-acks",
    summary: "send the acks live streams withheld",
    handle: ({ server, params }) => ({ streams: server.releaseAcks(params.name) }),
  }),
  ...bothScopes({
    method: "POST",
    path: "/end-connections",
    summary:
      'end live streams with a status (default OK): { "status": "UNAVAILABLE" | 14 | { code, details } }',
    handle: ({ server, params, body }) => {
      const { status } = bodyObject(body, ["status"]);
      const spec = status === undefined ? undefined : statusFromJson(status, "status");
      return { streams: server.endConnections(params.name, spec) };
    },
  }),
  ...bothScopes({
    method: "POST",
    path: "/drop-connections",
    summary: "destroy the transport connections under live streams",
    handle: ({ server, params }) => ({ streams: server.dropConnections(params.name) }),
  }),
];

/**
 * A route at `/tables/{name}<path>` for one table, and at `<path>` for the whole server (`params.name`
 * undefined, which the server methods read as every table, or the default).
 */
function bothScopes(route: AdminRoute, serverScope = "every table"): AdminRoute[] {
  return [
    { ...route, path: `/tables/{name}${route.path}`, summary: `${route.summary} (this table)` },
    { ...route, summary: `${route.summary} (${serverScope})` },
  ];
}
