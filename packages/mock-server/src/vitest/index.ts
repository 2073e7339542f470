/**
 * vitest helpers for `@zerobus/mock-server`: a `test` with a per-file `mockServer` fixture (or
 * `useMockServer()` with hooks), and matchers on table recordings, registered with `expect.extend` when
 * this module is imported. Requires `vitest` 3.2 or 4 (an optional peer dependency).
 *
 * @example
 * ```ts
 * import { test } from "@zerobus/mock-server/vitest";
 * import { expect } from "vitest";
 *
 * test("delivers every click", async ({ mockServer }) => {
 *   await writeClicks(mockServer.endpoint, clicks);
 *   expect(mockServer.table("main.web.clicks")).toHaveDelivered(clicks);
 * });
 * ```
 *
 * @packageDocumentation
 */

import "./register-matchers.js";

export type { ExpectedRecord } from "../recording/record-matching.js";
export type { ExpectedEnd } from "./end-matcher.js";
export type { MockServerFixtures, SharingOptions } from "./mock-server-test.js";
export { mockServerTest, test } from "./mock-server-test.js";
export { useMockServer } from "./use-mock-server.js";
export type { ZerobusMatchers } from "./zerobus-matchers.js";
