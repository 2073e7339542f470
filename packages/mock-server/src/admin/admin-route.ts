import type { MockServer } from "../mock-server.js";
import type { ScriptHandle } from "../script/script-cursor.js";
import { badRequest } from "./admin-request-error.js";
import type { MockServerInfo } from "./mock-server-info.js";

/** What a route handler gets: the server, the request's path parameters, query and JSON body. */
export interface AdminRequest {
  readonly server: MockServer;
  /** Path parameters by name (`{name}` in `/tables/{name}`), URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body; `undefined` when empty (and always for GET). */
  readonly body: unknown;
  /** The scripts installed through this endpoint, by table, so `GET …/script` can report progress. */
  readonly scripts: Map<string, ScriptHandle>;
  info(): MockServerInfo;
}

/** One route: `path` is a template such as `/tables/{name}/script`; `handle` returns the JSON answer. */
export interface AdminRoute {
  readonly method: "GET" | "PUT" | "POST";
  readonly path: string;
  /** What it does, listed by `GET /`. */
  readonly summary: string;
  /** Query parameters it takes; any other one is refused, so a misspelt `timeoutMs` does not pass silently. */
  readonly query?: readonly string[];
  handle(request: AdminRequest): unknown;
}

/** The route for a method and path, or the methods the path takes when none matches the method. */
export function matchRoute(
  routes: readonly AdminRoute[],
  method: string,
  pathname: string,
): { route: AdminRoute; params: Record<string, string> } | { allowed: string[] } {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params === undefined) continue;
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  return { allowed };
}

function matchPath(template: string, pathname: string): Record<string, string> | undefined {
  const names = template.split("/");
  const parts = pathname.split("/");
  if (names.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, name] of names.entries()) {
    const part = parts[index]!;
    const param = /^\{(\w+)\}$/.exec(name)?.[1];
    if (param === undefined) {
      if (part !== name) return undefined;
    } else {
      if (part === "") return undefined;
      params[param] = decodePart(part);
    }
  }
  return params;
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badRequest(`the path segment ${JSON.stringify(part)} is not valid percent-encoding`);
  }
}

/** Refuses query parameters a route does not take. */
export function checkQuery(route: AdminRoute, query: URLSearchParams): void {
  for (const key of query.keys()) {
    if (!route.query?.includes(key)) {
      const takes = route.query?.length ? `it takes ${route.query.join(", ")}` : "it takes none";
      throw badRequest(
        `unknown query parameter ${JSON.stringify(key)} for ${route.method} ${route.path}; ${takes}`,
      );
    }
  }
}

/** A query parameter as an integer ≥ 0, or `fallback` when absent. */
export function queryInteger(query: URLSearchParams, key: string, fallback: number): number {
  const text = query.get(key);
  if (text === null) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < 0) {
    throw badRequest(`query parameter ${key} must be an integer ≥ 0, got ${JSON.stringify(text)}`);
  }
  return value;
}
