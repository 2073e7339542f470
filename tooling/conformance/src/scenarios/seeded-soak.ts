import type { TableRecording } from "@zerobus/mock-server";
import { createFaultProxy } from "@zerobus/mock-server";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Harness, TagFilter } from "../harness.js";
import type { SoakSchedule } from "../soak/soak-schedule.js";
import {
  hangBoundMs,
  plansOf,
  SOAK_ACK_TIMEOUT_MS,
  SOAK_ATTEMPT_TIMEOUT_MS,
  SOAK_RECOVERY_RETRIES,
  scriptOf,
  soakRecords,
  soakScheduleArbitrary,
} from "../soak/soak-schedule.js";
import { expectOrderedPerConnection } from "./progress-and-pacing.js";

/** Schedules per run: 50 in CI; `pnpm soak` sets more. */
const runs = Number(process.env.ZEROBUS_SOAK_RUNS ?? 50);
/** The bound of the whole soak test (`pnpm soak` raises it with the number of runs). */
const timeoutMs = Number(process.env.ZEROBUS_SOAK_TIMEOUT_MS ?? 300_000);
/** Prints each schedule and its duration (to find a slow one). */
const verbose = process.env.ZEROBUS_SOAK_VERBOSE === "1";
/** `<seed>` or `<seed>:<path>` from a failure report replays it. */
const replay = process.env.ZEROBUS_SOAK_SEED;

/** What one schedule's run saw, summed over the soak for its report. */
interface RunFigures {
  records: number;
  connections: number;
  duplicates: number;
  coalescedRequests: number;
}

/**
 * The seeded soak (the delivery issue): records ingested without yielding, so requests coalesce, through
 * the fault proxy and the mock server's scripts, under schedules drawn by fast-check. Invariants: every
 * record delivered, in order per connection, wire offsets contiguous per connection, duplicates within
 * `recordsResent`, nothing left running, and each run ends within a bound derived from its schedule.
 */
export function seededSoakScenarios(h: Harness, on: TagFilter): void {
  if (on("soak"))
    describe("seeded soak", () => {
      it(
        `delivers every record in order under ${runs} seeded fault schedules`,
        async () => {
          const started = performance.now();
          const totals: RunFigures = { records: 0, connections: 0, duplicates: 0, coalescedRequests: 0 };
          const [seed, path] = replay === undefined ? [] : replay.split(":");
          const details = await fc.check(
            fc.asyncProperty(soakScheduleArbitrary, async (schedule) => {
              const runStarted = performance.now();
              if (verbose) console.info(`soak run starts: faults ${JSON.stringify(schedule.faults)}`);
              const figures = await runSchedule(h, schedule);
              if (verbose) {
                const ms = Math.round(performance.now() - runStarted);
                console.info(
                  `soak run: ${ms} ms, ${figures.connections} connections, faults ${JSON.stringify(schedule.faults)}, backoff ${schedule.recoveryBackoffMs} ms`,
                );
              }
              for (const key of Object.keys(totals) as (keyof RunFigures)[]) totals[key] += figures[key];
            }),
            {
              numRuns: replay === undefined ? runs : 1,
              endOnFailure: true,
              ...(seed === undefined ? {} : { seed: Number(seed) }),
              ...(path === undefined ? {} : { path }),
            },
          );
          if (details.failed) {
            const where = `${details.seed}${details.counterexamplePath ? `:${details.counterexamplePath}` : ""}`;
            const faults = JSON.stringify(details.counterexample?.[0]?.faults);
            throw new Error(
              `soak schedule failed (replay with ZEROBUS_SOAK_SEED=${where}); faults ${faults}: ${String(details.errorInstance)}`,
              { cause: details.errorInstance },
            );
          }
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          console.info(
            `soak: ${details.numRuns} schedules (seed ${details.seed}), ${totals.records} records, ` +
              `${totals.connections} connections, ${totals.duplicates} duplicates, ` +
              `${totals.coalescedRequests} coalesced requests, ${seconds} s`,
          );
          expect(details.numRuns).toBe(replay === undefined ? runs : 1);
        },
        timeoutMs,
      );
    });
}

async function runSchedule(h: Harness, schedule: SoakSchedule): Promise<RunFigures> {
  const proxy = await createFaultProxy({ target: h.server.endpoint });
  const opener = h.streamsAt(proxy.endpoint);
  const table = h.table();
  const recoveryBackoffMaxMs = 4 * schedule.recoveryBackoffMs;
  const bound = hangBoundMs(schedule, recoveryBackoffMaxMs);
  let failure: unknown;
  try {
    h.server.script(table, scriptOf(schedule));
    proxy.plan(...plansOf(schedule));
    const { records, units } = soakRecords(schedule);
    const figures = await within(bound, async () => {
      const stream = await h.open(table, {
        via: opener,
        options: {
          recoveryBackoffMs: schedule.recoveryBackoffMs,
          recoveryBackoffMaxMs,
          recoveryRetries: SOAK_RECOVERY_RETRIES,
          recoveryTimeoutMs: SOAK_ATTEMPT_TIMEOUT_MS,
          serverLackOfAckTimeoutMs: SOAK_ACK_TIMEOUT_MS,
          flushTimeoutMs: bound,
        },
      });
      const offsets: bigint[] = [];
      // Awaited one by one and never yielding: records queue faster than they are written, so they coalesce.
      for (const unit of units) {
        offsets.push(
          await (typeof unit === "string" ? stream.ingestRecord(unit) : stream.ingestRecords(unit)),
        );
      }
      expect(offsets).toEqual(units.map((_, i) => BigInt(i)));
      await stream.close();
      const recording = h.server.table(table);
      const { duplicates } = recording.assertDelivered(records);
      expectOrderedPerConnection(recording);
      const stats = stream.stats();
      expect(stats).toMatchObject({ recordsAcked: records.length, recordsInFlight: 0 });
      expect(stats.recordsResent).toBeGreaterThanOrEqual(duplicates);
      const coalescedRequests = countCoalesced(recording, units);
      expect(coalescedRequests, "requests that carry several ingest calls").toBeGreaterThan(0);
      return { records: records.length, connections: stats.connections, duplicates, coalescedRequests };
    });
    // Nothing left running: once the backend is closed, no connection is open on the proxy or the server.
    await within(5_000, () => opener.close(), "closing the opener and its backend");
    await proxy
      .waitFor((p) => p.connections.every((connection) => !connection.open), { timeoutMs: 5_000 })
      .catch((error: unknown) => {
        throw new Error(`proxy connections left open: ${JSON.stringify(proxy.connections)}`, {
          cause: error,
        });
      });
    // The server learns of the closed transport a moment later than the proxy does.
    await expect.poll(() => h.server.live(table), { timeout: 5_000 }).toEqual([]);
    return figures;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // A failure of the run is the one to report, not a second one while cleaning up after it.
    await within(5_000, () => proxy.close(), "closing the proxy").catch((error: unknown) => {
      if (failure === undefined) throw error;
    });
    h.server.reset();
  }
}

/** Requests whose records come from more than one ingest call (coalesced by the client). */
function countCoalesced(recording: TableRecording, units: readonly (string | string[])[]): number {
  const unitOf: number[] = [];
  units.forEach((unit, index) => {
    for (let i = 0; i < (typeof unit === "string" ? 1 : unit.length); i++) unitOf.push(index);
  });
  let coalesced = 0;
  for (const connection of recording.connections) {
    for (const request of connection.requests) {
      const first = request.records[0];
      const last = request.records.at(-1);
      if (first?.kind !== "json" || last?.kind !== "json") continue;
      const n = (record: { json: string }) => (JSON.parse(record.json) as { n: number }).n;
      if (unitOf[n(first)] !== unitOf[n(last)]) coalesced++;
    }
  }
  return coalesced;
}

/** Runs `fn`, failing with a hang if it takes longer than `ms` (a generous bound, never a tight one). */
async function within<T>(ms: number, fn: () => Promise<T>, what = "the run"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms} ms (a hang)`)), ms);
  });
  try {
    return await Promise.race([fn(), hang]);
  } finally {
    clearTimeout(timer);
  }
}
