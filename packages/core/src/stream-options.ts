import type { SupportedRecordType } from "./record-type.js";
import { RecordType } from "./record-type.js";
import { ZerobusError } from "./zerobus-error.js";

/** Per-stream options; every field is optional and takes the default of {@link defaultStreamOptions}. */
export interface StreamOptions {
  /** `Proto` or `Json`; inferred from the table (a descriptor means `Proto`) when omitted. */
  recordType?: RecordType;
  /** Records accepted but not yet acknowledged; at the limit `ingest*` waits (first in, first out). */
  maxInflightRecords?: number;
  /** Payload bytes accepted but not yet acknowledged. */
  maxInflightBytes?: number;
  /** Reconnect and re-send unacknowledged records on a retryable failure. */
  recovery?: boolean;
  /** Timeout of each connection attempt (headers + open + create response). */
  recoveryTimeoutMs?: number;
  /** First delay between attempts of one recovery; doubles per attempt (±20 % jitter). */
  recoveryBackoffMs?: number;
  /** Cap of that delay; default max(30 s, `recoveryBackoffMs`); a value below `recoveryBackoffMs` is refused. */
  recoveryBackoffMaxMs?: number;
  /** Retries after the first attempt in one recovery. */
  recoveryRetries?: number;
  /** Records in flight and no ack for this long is a retryable failure. */
  serverLackOfAckTimeoutMs?: number;
  /** `flush()`, `waitForOffset()` and `close()` give up after this. */
  flushTimeoutMs?: number;
  /** On a server close signal: longest wait for outstanding acks before reconnecting (undefined = the server's duration). */
  streamPausedMaxWaitTimeMs?: number | undefined;
  /** JSON strings must parse as a JSON object before they are accepted. */
  validateRecords?: boolean;
  /** Largest encoded request sent; coalesced batches are cut below it. */
  maxMessageBytes?: number;
}

/** Options with every default applied and validated; what backends receive. */
export interface ResolvedStreamOptions {
  readonly recordType: SupportedRecordType;
  readonly maxInflightRecords: number;
  readonly maxInflightBytes: number;
  readonly recovery: boolean;
  readonly recoveryTimeoutMs: number;
  readonly recoveryBackoffMs: number;
  readonly recoveryBackoffMaxMs: number;
  readonly recoveryRetries: number;
  readonly serverLackOfAckTimeoutMs: number;
  readonly flushTimeoutMs: number;
  readonly streamPausedMaxWaitTimeMs: number | undefined;
  readonly validateRecords: boolean;
  readonly maxMessageBytes: number;
}

/** 10 MiB − 1 KiB: the service refuses messages over 10 MiB; the KiB leaves room for the envelope. */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024 - 1024;

/** The cap of the recovery backoff unless `recoveryBackoffMs` is larger (then it is that). */
export const DEFAULT_RECOVERY_BACKOFF_MAX_MS = 30_000;

/**
 * The defaults of every option but `recordType` (which is inferred). Frozen. `recoveryBackoffMaxMs` is
 * max(30 s, `recoveryBackoffMs`), so this lists the value it takes with the default backoff.
 */
export const defaultStreamOptions: Readonly<Omit<ResolvedStreamOptions, "recordType">> = Object.freeze({
  maxInflightRecords: 1_000_000,
  maxInflightBytes: 256 * 1024 * 1024,
  recovery: true,
  recoveryTimeoutMs: 15_000,
  recoveryBackoffMs: 2_000,
  recoveryBackoffMaxMs: DEFAULT_RECOVERY_BACKOFF_MAX_MS,
  recoveryRetries: 4,
  serverLackOfAckTimeoutMs: 60_000,
  flushTimeoutMs: 300_000,
  streamPausedMaxWaitTimeMs: undefined,
  validateRecords: true,
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
});

type NumericOption = Exclude<
  {
    [K in keyof ResolvedStreamOptions]: ResolvedStreamOptions[K] extends number ? K : never;
  }[keyof ResolvedStreamOptions],
  "recordType"
>;

/** Smallest accepted value of each numeric option (limits must allow at least one record). */
const minimumOf: Record<NumericOption, number> = {
  maxInflightRecords: 1,
  maxInflightBytes: 1,
  recoveryTimeoutMs: 1,
  recoveryBackoffMs: 0,
  recoveryBackoffMaxMs: 0,
  recoveryRetries: 0,
  serverLackOfAckTimeoutMs: 1,
  flushTimeoutMs: 1,
  maxMessageBytes: 64,
};

/** Node's timers overflow above 2^31 − 1 ms (about 24.8 days): a longer delay fires after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;
const timerOptions = new Set<string>([
  "recoveryTimeoutMs",
  "recoveryBackoffMs",
  "recoveryBackoffMaxMs",
  "serverLackOfAckTimeoutMs",
  "flushTimeoutMs",
  "streamPausedMaxWaitTimeMs",
]);

function checkInteger(name: string, value: unknown, minimum: number): number {
  const maximum = timerOptions.has(name) ? MAX_TIMER_MS : Number.MAX_SAFE_INTEGER;
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum || value > maximum) {
    throw new ZerobusError(
      "invalid_argument",
      `option ${name} must be an integer from ${minimum} to ${maximum}, got ${describe(value)}`,
    );
  }
  return value;
}

function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new ZerobusError("invalid_argument", `option ${name} must be a boolean, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

function resolveRecordType(value: unknown, hasDescriptor: boolean): SupportedRecordType {
  if (value === undefined) return hasDescriptor ? RecordType.Proto : RecordType.Json;
  if (value === RecordType.Unspecified) {
    throw new ZerobusError(
      "invalid_argument",
      "option recordType must be RecordType.Proto or RecordType.Json, not Unspecified",
    );
  }
  if (value !== RecordType.Proto && value !== RecordType.Json) {
    throw new ZerobusError("invalid_argument", `option recordType is unknown: ${describe(value)}`);
  }
  if (value === RecordType.Proto && !hasDescriptor) {
    throw new ZerobusError(
      "invalid_argument",
      "option recordType is Proto but the table has no descriptorProto",
    );
  }
  return value;
}

/** The cap of the doubling backoff (A.4): never below the first delay; given explicitly, refused if it is. */
function resolveBackoffMax(given: unknown, recoveryBackoffMs: number): number {
  if (given === undefined) return Math.max(DEFAULT_RECOVERY_BACKOFF_MAX_MS, recoveryBackoffMs);
  const value = checkInteger("recoveryBackoffMaxMs", given, 0);
  if (value < recoveryBackoffMs) {
    throw new ZerobusError(
      "invalid_argument",
      `option recoveryBackoffMaxMs (${value}) must not be below recoveryBackoffMs (${recoveryBackoffMs}): it caps the doubling delay between attempts`,
    );
  }
  return value;
}

/** Names other Zerobus SDKs use for our options, so a port gets a pointer instead of a silent no-op. */
const renamedOptions: Readonly<Record<string, string>> = {
  maxInflightRequests: "maxInflightRecords",
  maxInflightRecordsCount: "maxInflightRecords",
};

/** A typo'd option would otherwise be dropped without a word: refuse keys that are not options. */
function checkKnownKeys(given: Record<string, unknown>): void {
  for (const key of Object.keys(given)) {
    // Own keys only: `in` would also let `toString` or `constructor` through as options.
    if (key === "recordType" || Object.hasOwn(defaultStreamOptions, key)) continue;
    const hint = renamedOptions[key] ? ` (did you mean ${renamedOptions[key]}?)` : "";
    throw new ZerobusError("invalid_argument", `unknown stream option ${JSON.stringify(key)}${hint}`);
  }
}

/**
 * Applies the defaults and validates every option, refusing bad values with `invalid_argument` naming the
 * option. `hasDescriptor` says whether the table came with a descriptor (it decides the inferred record type).
 */
export function resolveStreamOptions(
  options: StreamOptions | undefined,
  { hasDescriptor }: { hasDescriptor: boolean },
): ResolvedStreamOptions {
  const given = (options ?? {}) as Record<string, unknown>;
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new ZerobusError("invalid_argument", "stream options must be an object");
  }
  checkKnownKeys(given);
  const pick = <K extends keyof typeof defaultStreamOptions>(key: K) =>
    given[key] === undefined ? defaultStreamOptions[key] : given[key];
  const numeric = (key: NumericOption) =>
    checkInteger(key, pick(key as keyof typeof defaultStreamOptions), minimumOf[key]);
  const paused = given.streamPausedMaxWaitTimeMs;
  const recoveryBackoffMs = numeric("recoveryBackoffMs");
  return Object.freeze({
    recordType: resolveRecordType(given.recordType, hasDescriptor),
    maxInflightRecords: numeric("maxInflightRecords"),
    maxInflightBytes: numeric("maxInflightBytes"),
    recovery: checkBoolean("recovery", pick("recovery")),
    recoveryTimeoutMs: numeric("recoveryTimeoutMs"),
    recoveryBackoffMs,
    recoveryBackoffMaxMs: resolveBackoffMax(given.recoveryBackoffMaxMs, recoveryBackoffMs),
    recoveryRetries: numeric("recoveryRetries"),
    serverLackOfAckTimeoutMs: numeric("serverLackOfAckTimeoutMs"),
    flushTimeoutMs: numeric("flushTimeoutMs"),
    streamPausedMaxWaitTimeMs:
      paused === undefined ? undefined : checkInteger("streamPausedMaxWaitTimeMs", paused, 0),
    validateRecords: checkBoolean("validateRecords", pick("validateRecords")),
    maxMessageBytes: numeric("maxMessageBytes"),
  });
}
