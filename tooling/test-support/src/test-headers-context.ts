import type { HeadersContext } from "@zerobus/core";

/**
 * A `HeadersContext` for tests of headers providers: table `main.default.events` on workspace
 * `1234567890123456`, reason `create`, a signal that never fires; `overrides` replace any field.
 */
export function testHeadersContext(overrides: Partial<HeadersContext> = {}): HeadersContext {
  return {
    reason: "create",
    tableName: "main.default.events",
    endpoint: "https://1234567890123456.zerobus.us-west-2.cloud.databricks.com",
    workspaceId: "1234567890123456",
    signal: new AbortController().signal,
    ...overrides,
  };
}
