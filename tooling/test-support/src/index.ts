/**
 * `@zerobus/test-support`: helpers shared by the tests of the `@zerobus/*` packages, kept out of shipped
 * code. Private to this repository.
 *
 * @packageDocumentation
 */

export { localStreams } from "./local-streams.js";
export { readmeExampleAfter } from "./readme-example.js";
export { testHeadersContext } from "./test-headers-context.js";
