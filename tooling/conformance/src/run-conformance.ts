import type { CapabilityGap } from "@zerobus/core";
import type { MockServerOptions } from "@zerobus/mock-server";
import { describe, expect, it } from "vitest";
import type { ConformanceTag } from "./conformance-tag.js";
import type { CreateOpener, Harness, TagFilter } from "./harness.js";
import { useHarness } from "./harness.js";
import { backpressureAndConcurrencyScenarios } from "./scenarios/backpressure-and-concurrency.js";
import { creationScenarios } from "./scenarios/creation.js";
import { ingestAndCloseScenarios } from "./scenarios/ingest-and-close.js";
import { malformedScenarios } from "./scenarios/malformed.js";
import { observabilityScenarios } from "./scenarios/observability.js";
import { progressAndPacingScenarios } from "./scenarios/progress-and-pacing.js";
import { proxyScenarios } from "./scenarios/proxy-variables.js";
import { recoveryScenarios } from "./scenarios/recovery.js";
import { refusalAndCancellationScenarios } from "./scenarios/refusals-and-cancellation.js";
import { seededSoakScenarios } from "./scenarios/seeded-soak.js";
import { timeoutAndSignalScenarios } from "./scenarios/timeouts-and-signals.js";
import { unackedAndRecreateScenarios } from "./scenarios/unacked-and-recreate.js";

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /**
   * Builds what is under test (called once per test, with the mock server's endpoint): the core stream over
   * a backend (`overBackend(createBackend)`), or an adapter over the public API of `@zerobus/sdk`.
   */
  streams: CreateOpener;
  /** Only while a backend is being brought up: run just the scenarios with one of these tags. */
  tags?: readonly ConformanceTag[];
  /** Mock server options (TLS, say); the suite runs the same scenarios either way. */
  server?: MockServerOptions;
}

const knownGaps: readonly CapabilityGap[] = ["ackValidation", "keepalive"];

const scenarioGroups: ((harness: Harness, on: TagFilter) => void)[] = [
  creationScenarios,
  ingestAndCloseScenarios,
  recoveryScenarios,
  malformedScenarios,
  timeoutAndSignalScenarios,
  backpressureAndConcurrencyScenarios,
  unackedAndRecreateScenarios,
  refusalAndCancellationScenarios,
  proxyScenarios,
  seededSoakScenarios,
  progressAndPacingScenarios,
  observabilityScenarios,
];

/**
 * Registers the conformance suite (vitest `describe` blocks) for one backend, against `@zerobus/mock-server`.
 * Every backend runs the same tests; a backend's declared `capabilities` are the only allowed difference:
 * each declared gap turns the tests of that behaviour into tests that must fail.
 *
 * @example
 * ```ts
 * import { overBackend, runConformance } from "@zerobus/conformance";
 * import { createBackend } from "@zerobus/backend-js";
 * runConformance({ streams: overBackend(createBackend) });
 * ```
 */
export function runConformance(options: ConformanceOptions): void {
  describe("conformance", () => {
    const harness = useHarness(options.streams, options.server);

    it("declares each capability gap by a known name, with a reason", () => {
      const capabilities = harness.streams().capabilities;
      for (const [gap, reason] of Object.entries(capabilities)) {
        expect(knownGaps).toContain(gap);
        expect(typeof reason === "string" && reason.length > 10, `reason of ${gap}`).toBe(true);
      }
      if (Object.keys(capabilities).length > 0)
        console.info(`declared capability gaps: ${JSON.stringify(capabilities, null, 2)}`);
    });

    const on: TagFilter = (tag) => options.tags === undefined || options.tags.includes(tag);
    for (const register of scenarioGroups) register(harness, on);
  });
}
