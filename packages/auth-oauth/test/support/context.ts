import type { HeadersContext } from "@zerobus/core";

/** A `HeadersContext` for table `main.default.events` on workspace `1234567890123456`. */
export function headersContext(overrides: Partial<HeadersContext> = {}): HeadersContext {
  return {
    reason: "create",
    tableName: "main.default.events",
    endpoint: "https://1234567890123456.zerobus.us-west-2.cloud.databricks.com",
    workspaceId: "1234567890123456",
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Clears every proxy variable so a developer's own proxy cannot reroute a test's requests. */
export const proxyVariables = [
  "http_proxy",
  "HTTP_PROXY",
  "https_proxy",
  "HTTPS_PROXY",
  "all_proxy",
  "ALL_PROXY",
  "no_proxy",
  "NO_PROXY",
] as const;
