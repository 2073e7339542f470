import { ZerobusError } from "@zerobus/core";

/** Path of the OAuth token endpoint on a workspace (PROTOCOL.md B §3.1). */
export const TOKEN_PATH = "/oidc/v1/token";

const schemePattern = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Normalises a workspace URL to its origin, `https://<host>[:port]`, as the Databricks tools do: a
 * missing scheme means `https://`, trailing slashes are dropped (PROTOCOL.md A.11). Both cloud forms,
 * `https://<instance>.cloud.databricks.com` (AWS) and `https://adb-<id>.<n>.azuredatabricks.net` (Azure),
 * are plain origins. A path, query, fragment or user name is refused rather than dropped, and plain
 * `http://` is accepted only for loopback hosts (mock servers): the client secret travels in this request.
 */
export function normalizeWorkspaceUrl(workspaceUrl: unknown): string {
  if (typeof workspaceUrl !== "string" || workspaceUrl.trim() === "") {
    throw new ZerobusError(
      "invalid_argument",
      "workspaceUrl is required: the workspace URL, e.g. https://dbc-a1b2c3d4-e5f6.cloud.databricks.com",
    );
  }
  const trimmed = workspaceUrl.trim();
  let url: URL;
  try {
    url = new URL(schemePattern.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch (error) {
    throw new ZerobusError(
      "invalid_argument",
      "workspaceUrl is not a valid URL (expected https://<workspace-host>)",
      { cause: error },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ZerobusError("invalid_argument", `workspaceUrl must use https://, not ${url.protocol}//`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new ZerobusError("invalid_argument", "workspaceUrl must not contain a user name or password");
  }
  if (url.search !== "" || url.hash !== "" || !/^\/*$/.test(url.pathname)) {
    throw new ZerobusError(
      "invalid_argument",
      `workspaceUrl must be the workspace's origin only (https://${url.host}), without a path, query or fragment`,
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new ZerobusError(
      "invalid_argument",
      `workspaceUrl must use https:// (plain http:// is allowed only for loopback hosts, got ${url.host})`,
    );
  }
  return url.origin;
}

/** The token endpoint of a normalised workspace URL. */
export function tokenEndpoint(workspaceOrigin: string): string {
  return `${workspaceOrigin}${TOKEN_PATH}`;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
