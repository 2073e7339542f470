import { afterAll, beforeAll, beforeEach } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import type { MockServerOptions } from "../mock-server-options.js";
import type { SharingOptions } from "./mock-server-test.js";

/**
 * A mock server for the tests of the current file (or `describe` block), with hooks instead of a fixture:
 * started in `beforeAll`, closed in `afterAll`, reset in `beforeEach` (unless `resetBeforeEach: false`).
 * Call it at the top of the file or block; it returns the server to use in tests and hooks. Outside them
 * (at collection, or after `afterAll`) the server is not running and any use throws.
 *
 * @example
 * ```ts
 * import { useMockServer } from "@zerobus/mock-server/vitest";
 * import { expect, it } from "vitest";
 *
 * const server = useMockServer();
 *
 * it("writes every event once", async () => {
 *   await writeEvents(server.address, server.headers("main.web.clicks"), "main.web.clicks", events);
 *   expect(server.table("main.web.clicks")).toHaveDeliveredExactly(events);
 * });
 * ```
 */
export function useMockServer(options: MockServerOptions = {}, sharing: SharingOptions = {}): MockServer {
  let running: MockServer | undefined;
  beforeAll(async () => {
    running = await createMockServer(options);
  });
  afterAll(async () => {
    const server = running;
    running = undefined;
    await server?.close();
  });
  if (sharing.resetBeforeEach ?? true) beforeEach(() => running?.reset());
  return forwardTo(() => {
    if (running === undefined) {
      throw new Error(
        "the server of useMockServer() runs from beforeAll to afterAll: use it inside tests and hooks, " +
          "not while the file is collected or after its tests",
      );
    }
    return running;
  });
}

/** A `MockServer` whose every member is read from the server running at the time of the read. */
function forwardTo(current: () => MockServer): MockServer {
  return new Proxy({} as MockServer, {
    get(_target, key) {
      const server = current();
      const value: unknown = Reflect.get(server, key, server);
      return typeof value === "function" ? value.bind(server) : value;
    },
    has: (_target, key) => Reflect.has(current(), key),
  });
}
