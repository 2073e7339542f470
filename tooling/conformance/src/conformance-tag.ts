/**
 * Scenario tags. `runConformance({ tags })` narrows a run to scenarios carrying one of them: only while a
 * backend is being brought up, never for a finished backend (both backends run every scenario).
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
  "observability",
] as const;

/** One scenario tag. */
export type ConformanceTag = (typeof conformanceTags)[number];
