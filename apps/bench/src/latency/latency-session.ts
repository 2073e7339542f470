import type { BenchTarget } from "../clients/target.js";
import type { AckTracker } from "./ack-tracker.js";

/**
 * One client's stream for one run, as the loops drive it: `send` hands records `from … to − 1` (their
 * offsets) to the client, which reports their acks to the run's {@link AckTracker}.
 */
export interface LatencySession {
  /** Sends records `from … to − 1`; a client whose calls are awaited resolves once it accepted them. */
  send(from: number, to: number): void | Promise<void>;
  /** Ends the stream (every record is acknowledged by then, or the run gave up waiting). */
  close(): Promise<void>;
}

/**
 * Opens a fresh stream for one run of `records` (offsets start at 0), reporting acks to `tracker`; throws
 * `ClientUnavailable` when the client cannot run here.
 */
export type OpenLatencySession = (
  target: BenchTarget,
  records: readonly string[],
  tracker: AckTracker,
) => Promise<LatencySession>;
