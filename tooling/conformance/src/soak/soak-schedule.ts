import type { FaultPlan, ScriptStep } from "@zerobus/mock-server";
import { GrpcStatusCode } from "@zerobus/mock-server";
import fc from "fast-check";

/**
 * One fault of a soak schedule. Faults of the transport go to the fault proxy (one plan per TCP
 * connection, in order); faults of the protocol go to the mock server's script (one step per gRPC
 * stream, in order). Each can leave a connection without progress, never more than one connection each
 * (a stall at most two attempts), so the retry budget of a schedule is never outrun.
 */
export type SoakFault =
  /** The proxy cuts the TCP connection after this many bytes (RST or FIN). */
  | { kind: "cut"; afterBytes: number; how: "reset" | "fin"; direction: "up" | "down" | "either" }
  /** The server ends the stream with UNAVAILABLE on the request that crosses this many bytes, unacked. */
  | { kind: "budget"; bytes: number }
  /** The proxy stops forwarding for longer than the ack timeout, after this many bytes. */
  | { kind: "stall"; afterBytes: number; ms: number }
  /** The server sends a close signal after this many records, then ends the stream when it elapsed. */
  | { kind: "closeSignal"; afterRecords: number; ms: number }
  /** The server answers the next create with UNAVAILABLE. */
  | { kind: "createUnavailable" }
  /**
   * The server withholds acks, then drops the transport this long after the stream took the step (less
   * than the ack timeout, so the drop comes first).
   */
  | { kind: "withholdThenDrop"; afterMs: number };

/** A soak run: what is ingested, the faults, and the recovery backoff. */
export interface SoakSchedule {
  /** Record sizes (log-uniform 50 B–4 KiB) per ingest call: one for a single record, 2–20 for a batch. */
  units: number[][];
  faults: SoakFault[];
  recoveryBackoffMs: number;
}

/** Records per schedule. */
export const SOAK_RECORDS = 1_000;
/** The soak's ack timeout: stalls last longer. */
export const SOAK_ACK_TIMEOUT_MS = 300;
/** Each attempt's bound: longer than any stall, so a stalled create is slow, not lost. */
export const SOAK_ATTEMPT_TIMEOUT_MS = 2_000;
const MAX_FAULTS = 4;
/** Twice the faults (a stall may cost two attempts), plus room. */
export const SOAK_RECOVERY_RETRIES = 2 * MAX_FAULTS + 2;
const MAX_STALL_MS = 700;

/** Integers spread evenly over orders of magnitude, like the sizes that matter. */
const logUniform = (min: number, max: number) =>
  fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map((x) => Math.round(Math.exp(x)));

const faultArbitrary: fc.Arbitrary<SoakFault> = fc.oneof(
  fc.record({
    kind: fc.constant("cut" as const),
    afterBytes: logUniform(64 * 1024, 4 * 1024 * 1024),
    how: fc.constantFrom("reset" as const, "fin" as const),
    direction: fc.constantFrom("up" as const, "down" as const, "either" as const),
  }),
  fc.record({ kind: fc.constant("budget" as const), bytes: logUniform(64 * 1024, 4 * 1024 * 1024) }),
  fc.record({
    kind: fc.constant("stall" as const),
    afterBytes: fc.integer({ min: 0, max: 512 * 1024 }),
    ms: fc.integer({ min: SOAK_ACK_TIMEOUT_MS + 50, max: MAX_STALL_MS }),
  }),
  fc.record({
    kind: fc.constant("closeSignal" as const),
    afterRecords: fc.integer({ min: 1, max: 800 }),
    ms: fc.integer({ min: 0, max: 300 }),
  }),
  fc.record({ kind: fc.constant("createUnavailable" as const) }),
  fc.record({
    kind: fc.constant("withholdThenDrop" as const),
    afterMs: fc.integer({ min: 20, max: SOAK_ACK_TIMEOUT_MS - 50 }),
  }),
);

const recordSize = logUniform(50, 4096);

/** Ingest calls totalling exactly {@link SOAK_RECORDS} records, about one in ten a batch. */
const unitsArbitrary: fc.Arbitrary<number[][]> = fc
  .array(
    fc.oneof(
      { weight: 9, arbitrary: recordSize.map((size) => [size]) },
      { weight: 1, arbitrary: fc.array(recordSize, { minLength: 2, maxLength: 20 }) },
    ),
    { minLength: SOAK_RECORDS, maxLength: SOAK_RECORDS },
  )
  .map((units) => {
    const taken: number[][] = [];
    let count = 0;
    for (const unit of units) {
      if (count >= SOAK_RECORDS) break;
      const part = unit.slice(0, SOAK_RECORDS - count);
      taken.push(part);
      count += part.length;
    }
    return taken;
  });

/** Schedules of {@link SOAK_RECORDS} records with one to four faults and a backoff of 10–200 ms. */
export const soakScheduleArbitrary: fc.Arbitrary<SoakSchedule> = fc.record({
  units: unitsArbitrary,
  faults: fc.array(faultArbitrary, { minLength: 1, maxLength: MAX_FAULTS }),
  recoveryBackoffMs: logUniform(10, 200),
});

/** The mock server's script for a schedule (table-scoped: each step waits for the stream it applies to). */
export function scriptOf(schedule: SoakSchedule): ScriptStep[] {
  return schedule.faults.flatMap((fault): ScriptStep[] => {
    switch (fault.kind) {
      case "budget":
        return [{ fail: GrpcStatusCode.UNAVAILABLE, at: { bytes: fault.bytes } }];
      case "closeSignal":
        return [{ closeSignal: { nanos: fault.ms * 1e6 }, after: { records: fault.afterRecords } }];
      case "createUnavailable":
        return [{ failCreate: GrpcStatusCode.UNAVAILABLE }];
      case "withholdThenDrop":
        return [{ ack: "never" }, { drop: true, after: { ms: fault.afterMs } }, { ack: "immediate" }];
      default:
        return [];
    }
  });
}

/** The fault proxy's plans for a schedule, one per TCP connection in order. */
export function plansOf(schedule: SoakSchedule): FaultPlan[] {
  return schedule.faults.flatMap((fault): FaultPlan[] => {
    if (fault.kind === "cut") {
      return [{ cut: { afterBytes: fault.afterBytes, how: fault.how, direction: fault.direction } }];
    }
    if (fault.kind === "stall") return [{ stall: { ms: fault.ms, afterBytes: fault.afterBytes } }];
    return [];
  });
}

/**
 * A generous bound of a run's duration, from its schedule: a hang, not slowness, fails the run. Every
 * fault may cost its stall, an ack timeout, a timed-out attempt and the longest backoffs.
 */
export function hangBoundMs(schedule: SoakSchedule, backoffMaxMs: number): number {
  const perFault = MAX_STALL_MS + SOAK_ACK_TIMEOUT_MS + SOAK_ATTEMPT_TIMEOUT_MS + 3 * backoffMaxMs;
  return 20_000 + schedule.faults.length * perFault * 2;
}

/** One ingest call: a single record or a batch (one logical offset). */
export type IngestUnit = string | string[];

/**
 * The records of a schedule, `{"n":…,"pad":"…"}` JSON of the drawn sizes, numbered from 0, grouped into
 * ingest calls as drawn (a group of one is a single record, a larger one a batch).
 */
export function soakRecords(schedule: SoakSchedule): { records: string[]; units: IngestUnit[] } {
  const records: string[] = [];
  const units: IngestUnit[] = [];
  for (const sizes of schedule.units) {
    const unit = sizes.map((size) => {
      const n = records.length;
      const bare = JSON.stringify({ n, pad: "" }).length;
      const record = JSON.stringify({ n, pad: "x".repeat(Math.max(0, size - bare)) });
      records.push(record);
      return record;
    });
    units.push(unit.length === 1 ? (unit[0] as string) : unit);
  }
  return { records, units };
}
