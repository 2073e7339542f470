import { test as baseTest, type TestAPI } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import type { MockServerOptions } from "../mock-server-options.js";

/** The fixtures `mockServerTest()` adds to a test's context. */
export interface MockServerFixtures {
  /** The test file's server, reset before this test (unless `resetBeforeEach: false`). */
  mockServer: MockServer;
  /**
   * The same server without the reset, for your own file-scoped fixtures (a file-scoped fixture cannot
   * depend on the test-scoped `mockServer`).
   */
  mockServerOfFile: MockServer;
}

/** How the vitest helpers share a server between tests. */
export interface SharingOptions {
  /**
   * `server.reset()` before each test (default `true`): every test starts with no recordings, scripts or ack
   * policies, and streams left open by the previous test end with UNAVAILABLE. `false` keeps everything
   * across the file's tests.
   */
  resetBeforeEach?: boolean;
}

/**
 * A vitest `test` whose context has a mock server: one server per test file, started before the file's
 * first test and closed after its last, reset before each test. `options` go to `createMockServer`. Call it
 * at the top level of a module (a test file, or a shared `fixtures.ts`): vitest refuses a file-scoped
 * fixture defined inside a `describe` block.
 *
 * @example
 * ```ts
 * import { mockServerTest } from "@zerobus/mock-server/vitest";
 *
 * const test = mockServerTest({ tls: true });
 *
 * test("delivers every click", async ({ mockServer }) => {
 *   await writeClicks(mockServer.endpoint, clicks);
 *   expect(mockServer.table("main.web.clicks")).toHaveDelivered(clicks);
 * });
 * ```
 */
export function mockServerTest(
  options: MockServerOptions = {},
  sharing: SharingOptions = {},
): TestAPI<MockServerFixtures> {
  const resetBeforeEach = sharing.resetBeforeEach ?? true;
  return baseTest.extend<MockServerFixtures>({
    mockServerOfFile: [
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
      async ({}, use) => {
        const server = await createMockServer(options);
        try {
          await use(server);
        } finally {
          await server.close();
        }
      },
      { scope: "file" },
    ],
    mockServer: [
      async ({ mockServerOfFile }, use) => {
        if (resetBeforeEach) mockServerOfFile.reset();
        await use(mockServerOfFile);
      },
      // auto: the reset runs before every test, including one that reaches the server only through a
      // fixture of its own, so no test sees what the previous one left.
      { auto: true },
    ],
  });
}

/**
 * `mockServerTest()` with the default server: a vitest `test` with a `mockServer` fixture.
 *
 * @example
 * ```ts
 * import { test } from "@zerobus/mock-server/vitest";
 * import { expect } from "vitest";
 *
 * test("writes every event once", async ({ mockServer }) => {
 *   await writeEvents(mockServer.address, mockServer.headers("main.web.clicks"), "main.web.clicks", events);
 *   expect(mockServer.table("main.web.clicks")).toHaveDeliveredExactly(events);
 * });
 * ```
 */
export const test: TestAPI<MockServerFixtures> = mockServerTest();
