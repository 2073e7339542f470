import { describe, expect, it } from "vitest";
import { WORKSPACE_ENV, workspaceFromEnv } from "./workspace-env.js";

const full = {
  ZEROBUS_SERVER_ENDPOINT: "https://1234.zerobus.us-west-2.cloud.databricks.com",
  DATABRICKS_HOST: "dbc-1234.cloud.databricks.com",
  DATABRICKS_CLIENT_ID: "client-id",
  DATABRICKS_CLIENT_SECRET: "very-secret",
  ZEROBUS_TABLE_NAME: "main.iot.readings",
};

describe("workspaceFromEnv", () => {
  it("is undefined when none of the variables is set", () => {
    expect(workspaceFromEnv({ PATH: "/bin", ZEROBUS_TABLE_NAME: "  " })).toBeUndefined();
  });

  it("reads a workspace, adding https:// to a bare host", () => {
    expect(workspaceFromEnv(full)).toEqual({
      endpoint: full.ZEROBUS_SERVER_ENDPOINT,
      workspaceUrl: "https://dbc-1234.cloud.databricks.com",
      clientId: "client-id",
      clientSecret: "very-secret",
      tableName: "main.iot.readings",
    });
  });

  it.each(WORKSPACE_ENV)("names %s when only it is missing, without echoing any value", (name) => {
    const env: Record<string, string> = { ...full };
    delete env[name];
    let message = "";
    try {
      workspaceFromEnv(env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(new RegExp(`missing: ${name}$`));
    expect(message).not.toContain("very-secret");
  });
});
