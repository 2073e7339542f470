import type { MockServerOptions } from "@zerobus/mock-server";
import type { ZerobusSdkOptions } from "@zerobus/sdk";
import { workspaceFromEnv } from "./workspace-env.js";

/**
 * Where a program writes: a real workspace when the environment names one, else a mock server embedded in
 * the process. Either way the program opens its stream with OAuth client credentials.
 */
export interface ExampleTarget {
  /** `workspace` (from the environment) or `mock` (embedded). */
  readonly kind: "workspace" | "mock";
  /** The Zerobus endpoint: the first argument of `new ZerobusSdk`. */
  readonly endpoint: string;
  /** The workspace URL: the second argument of `new ZerobusSdk`. */
  readonly workspaceUrl: string;
  /** The third argument of `new ZerobusSdk`. */
  readonly sdkOptions: ZerobusSdkOptions;
  readonly tableName: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Records the embedded mock server received for the table (re-sends included); undefined for a workspace. */
  serverRecordCount(): number | undefined;
  /** Stops the embedded mock server, printing what it received first; nothing to do for a workspace. */
  stop(): Promise<void>;
}

/** Options of {@link openTarget}. */
export interface OpenTargetOptions {
  /** Options of the embedded mock server. */
  mock?: MockServerOptions;
  /** Where `stop()` reports the mock's count (default `console.log`); `false` stays quiet. */
  report?: ((line: string) => void) | false;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Opens the target: the workspace of the environment (`ZEROBUS_SERVER_ENDPOINT`, `DATABRICKS_HOST`,
 * `DATABRICKS_CLIENT_ID`, `DATABRICKS_CLIENT_SECRET`, `ZEROBUS_TABLE_NAME`), else a fresh mock server on a
 * loopback port, writing to `defaultTable`.
 */
export async function openTarget(
  defaultTable: string,
  options: OpenTargetOptions = {},
): Promise<ExampleTarget> {
  const report = options.report === undefined ? console.log : options.report;
  const workspace = workspaceFromEnv();
  if (workspace) {
    // Plaintext only to a mock server on this machine (a `zerobus-mock` CLI, a test); a workspace is https.
    const allowInsecure = LOOPBACK.has(new URL(workspace.endpoint).hostname);
    return {
      kind: "workspace",
      ...workspace,
      sdkOptions: allowInsecure ? { allowInsecure } : {},
      serverRecordCount: () => undefined,
      stop: async () => {},
    };
  }
  // Loaded only here: a program pointed at a workspace never loads the mock server.
  const { createMockServer } = await import("@zerobus/mock-server");
  const server = await createMockServer(options.mock);
  return {
    kind: "mock",
    endpoint: server.endpoint,
    workspaceUrl: server.workspaceUrl,
    sdkOptions: { allowInsecure: true },
    tableName: defaultTable,
    clientId: server.credentials.clientId,
    clientSecret: server.credentials.clientSecret,
    serverRecordCount: () => server.table(defaultTable).recordCount,
    stop: async () => {
      if (report)
        report(`mock server: ${defaultTable} received ${server.table(defaultTable).recordCount} records`);
      await server.close();
    },
  };
}
