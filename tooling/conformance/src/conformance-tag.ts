/**
 * Scenario tags. `runConformance({ tags })` narrows a run to scenarios carrying one of them: only while a
 * backend is being brought up (native part 1), never for a finished backend.
 */
export const conformanceTags = [
  "creation",
  "ingest",
  "batch",
  "ack",
  "close",
  "refusal",
  "recovery",
  "malformed",
  "ack-timeout",
  "close-signal",
  "backpressure",
  "concurrency",
  "unacked",
  "recreate",
  "proxy",
  "cancellation",
  "soak",
  "delivery",
] as const;

/** One scenario tag. */
export type ConformanceTag = (typeof conformanceTags)[number];

/**
 * The scenarios the native backend passes while it is brought up (part 1): creation, ingest, batches,
 * acks, close and refusals. Every run of the native backend uses this one list; part 2 deletes it.
 */
export const nativeBringUpTags: readonly ConformanceTag[] = [
  "creation",
  "ingest",
  "batch",
  "ack",
  "close",
  "refusal",
];
