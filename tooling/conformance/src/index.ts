/**
 * `@zerobus/conformance`: the scenarios every backend must pass, run unchanged against each backend over
 * `@zerobus/mock-server` (ARCHITECTURE.md "Conformance"). Private to this repository.
 *
 * @packageDocumentation
 */
export type { ConformanceTag } from "./conformance-tag.js";
export { conformanceTags } from "./conformance-tag.js";
export type { CreateOpener, Harness, OpenOptions } from "./harness.js";
export { fastOptions, itGives, overBackend, useHarness } from "./harness.js";
export type { ConformanceOptions } from "./run-conformance.js";
export { runConformance } from "./run-conformance.js";
