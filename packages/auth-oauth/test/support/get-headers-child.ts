/**
 * Run in a child process (by `run-child.ts`) because `NODE_EXTRA_CA_CERTS` is read only at process start.
 * Reads scenarios from ZEROBUS_TEST_SCENARIOS (JSON: `{ workspaceUrl, env }[]`), sets each scenario's
 * proxy variables, asks a fresh OAuth provider for headers, and prints one JSON result per scenario.
 */
import { fromOAuthClientCredentials } from "../../src/index.js";

interface Scenario {
  workspaceUrl: string;
  env: Record<string, string>;
}

const proxyVariables = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"];
// Set by `load-recorder.mjs` when the run records module loads: separates the import and each scenario.
const mark = (globalThis as { zbLoadMark?: (text: string) => void }).zbLoadMark ?? (() => {});
mark("imported");
const scenarios = JSON.parse(process.env.ZEROBUS_TEST_SCENARIOS ?? "[]") as Scenario[];
const results: unknown[] = [];
for (const scenario of scenarios) {
  for (const name of [...proxyVariables, "no_proxy", "NO_PROXY"]) delete process.env[name];
  Object.assign(process.env, scenario.env);
  const provider = fromOAuthClientCredentials({
    workspaceUrl: scenario.workspaceUrl,
    clientId: "proxy-test-client",
    clientSecret: "proxy-test-secret",
    timeoutMs: 10_000,
  });
  try {
    const headers = await provider.getHeaders({
      reason: "create",
      tableName: "main.default.events",
      endpoint: "https://1.zerobus.example",
      workspaceId: "1",
      signal: new AbortController().signal,
    });
    results.push({ headers });
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    results.push({ error: { code, message } });
  }
  mark(`scenario ${results.length} done`);
}
process.stdout.write(JSON.stringify(results));
