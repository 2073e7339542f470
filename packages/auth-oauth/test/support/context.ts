export { testHeadersContext as headersContext } from "@zerobus/test-support";

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
