import type { HeadersContext } from "../headers.js";

/**
 * A `HeadersContext` for core's own tests of headers providers: table `main.default.events` on workspace
 * `1234567890123456`, reason `create`, a signal that never fires; `overrides` replace any field. Not
 * shipped (`tsconfig.build.json` leaves `src/test-support` out). The other packages' tests take the same
 * helper from `@zerobus/test-support`, which core's tests cannot import: that package depends on core.
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
