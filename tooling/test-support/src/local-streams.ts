import type { BackendConfig, CreateBackend } from "@zerobus/core";
import { silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";

/**
 * The core streams over one backend to a local plaintext endpoint (a mock server or a fault proxy), as the
 * SDK opens them: a {@link StreamRegistry} over `createBackend`'s backend, closed with its streams by
 * `close()`. `extra` adds to or overrides the test config.
 */
export function localStreams(
  createBackend: CreateBackend,
  endpoint: string,
  extra: Partial<BackendConfig> = {},
): StreamRegistry {
  const config: BackendConfig = {
    endpoint,
    allowInsecure: true,
    workspaceId: "1234",
    logger: silentLogger,
    ...extra,
  };
  return new StreamRegistry(createBackend(config), { logger: config.logger });
}
