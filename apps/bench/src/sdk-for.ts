import type { ZerobusSdk, ZerobusSdkOptions } from "@zerobus/sdk";

/**
 * A `ZerobusSdk` for a bench client on `backend`, trusting `ca` (plaintext without one), or why it cannot be
 * made here: `backend: "native"` throws `native_unavailable` from the constructor when the addon is not
 * built, and the client's row then says "not available". The class is passed in so that a caller timing the
 * SDK's import (W6) imports it itself, and W7 can pass another build's; `extra` options (W7's `telemetry`)
 * are added.
 */
export function constructSdk(
  Sdk: typeof ZerobusSdk,
  backend: "js" | "native",
  endpoint: string,
  ca: string | undefined,
  extra: Partial<ZerobusSdkOptions> = {},
): ZerobusSdk | { unavailable: string } {
  try {
    return new Sdk(endpoint, undefined, {
      backend,
      workspaceId: "1",
      ...(ca === undefined ? { allowInsecure: true } : { tls: { ca } }),
      ...extra,
    });
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
}
