/** The environment variables that point the examples and the demo at a real Databricks workspace. */
export const WORKSPACE_ENV = [
  "ZEROBUS_SERVER_ENDPOINT",
  "DATABRICKS_HOST",
  "DATABRICKS_CLIENT_ID",
  "DATABRICKS_CLIENT_SECRET",
  "ZEROBUS_TABLE_NAME",
] as const;

/** A workspace to write to, read from {@link WORKSPACE_ENV}. */
export interface WorkspaceEnv {
  /** The Zerobus endpoint, `https://<workspace-id>.zerobus.<region>.cloud.databricks.com`. */
  endpoint: string;
  /** The workspace URL (OAuth token endpoint host). */
  workspaceUrl: string;
  clientId: string;
  clientSecret: string;
  tableName: string;
}

/**
 * The workspace named by the environment, or undefined when none of {@link WORKSPACE_ENV} is set. Some set
 * and some not is a mistake worth stopping for, so it throws naming the missing ones (never a value).
 */
export function workspaceFromEnv(env: NodeJS.ProcessEnv = process.env): WorkspaceEnv | undefined {
  const present = WORKSPACE_ENV.filter((name) => env[name]?.trim());
  if (present.length === 0) return undefined;
  const missing = WORKSPACE_ENV.filter((name) => !present.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `to use a real workspace set all of ${WORKSPACE_ENV.join(", ")}; missing: ${missing.join(", ")}`,
    );
  }
  const value = (name: (typeof WORKSPACE_ENV)[number]) => env[name]!.trim();
  const host = value("DATABRICKS_HOST");
  return {
    endpoint: value("ZEROBUS_SERVER_ENDPOINT"),
    // The Databricks CLI accepts a host without a scheme; so do we.
    workspaceUrl: /^https?:\/\//.test(host) ? host : `https://${host}`,
    clientId: value("DATABRICKS_CLIENT_ID"),
    clientSecret: value("DATABRICKS_CLIENT_SECRET"),
    tableName: value("ZEROBUS_TABLE_NAME"),
  };
}
