import type { LatencyCase } from "./latency-case.js";
import type { LatencyPercentiles } from "./latency-histogram.js";

/** One client × case of W4 (JSON-serialisable). */
export interface LatencyRow {
  caseId: string;
  /** The case's label, e.g. `10k rec/s, ack delay 0 ms`. */
  case: string;
  client: string;
  ackDelayMs: number;
  mode: "closed" | "open";
  /** Records per second offered; `null` for the closed loop. */
  offered: number | null;
  /** Records per second sustained (`achievedRate`); `null` when unavailable or nothing was acknowledged. */
  achieved: number | null;
  /** Records acknowledged, each one a latency in the percentiles. */
  count: number;
  /** Records sent. */
  sent: number;
  /** Latency percentiles (ms), from the call (closed loop) or the record's intended time (open loop). */
  percentiles: LatencyPercentiles | null;
  /** CPU time of the client process over the run, ms. */
  clientCpuMs: number | null;
  /** Each pass's p99 (ms) when the case ran several: the row's figures are the median pass's. */
  p99OfPasses?: number[];
  /** Why the row has no figures ("not available: …", "failed: …"), or what to know about them. */
  note?: string;
}

/** What `runLatencyWorkload` returns. */
export interface LatencyResults {
  workload: "W4";
  quick: boolean;
  /** The clients, in row order. */
  clients: string[];
  cases: LatencyCase[];
  rows: LatencyRow[];
  /** Wall time of the whole workload, process starts and warm-ups included, ms. */
  wallMs: number;
  node: string;
}
