/**
 * How the server acknowledges requests. Acks are cumulative (`durability_ack_up_to_offset = N` covers every
 * request with wire offset ≤ N on the connection) and never go down unless a malformed step says so.
 *
 * - `"immediate"` (default): one ack per request, as soon as it is recorded.
 * - `{ delayMs }`: each request is acked `delayMs` after it arrived.
 * - `{ everyRecords: n }`: one ack each time `n` more records (a batch counts each record) have arrived; the
 *   rest stay withheld until more arrive or the test calls `releaseAcks`.
 * - `"coalesced"`: one ack for everything that arrived in the same event-loop turn;
 *   `{ coalesceMs }` for everything that arrived within that window.
 * - `"never"`: withhold every ack until the test calls `releaseAcks` (backpressure and timeout tests).
 */
export type AckPolicy =
  | "immediate"
  | "coalesced"
  | "never"
  | { delayMs: number }
  | { everyRecords: number }
  | { coalesceMs: number };

/** Rejects nonsense policies early, with a message naming the policy. */
export function validateAckPolicy(policy: AckPolicy): AckPolicy {
  if (policy === "immediate" || policy === "coalesced" || policy === "never") return policy;
  if (typeof policy === "object" && policy !== null) {
    const [key, value] = Object.entries(policy)[0] ?? [];
    const valid = key === "everyRecords" ? Number.isInteger(value) && Number(value) >= 1 : Number(value) >= 0;
    if (
      Object.keys(policy).length === 1 &&
      ["delayMs", "everyRecords", "coalesceMs"].includes(String(key)) &&
      valid
    ) {
      return policy;
    }
  }
  throw new TypeError(`invalid ack policy ${JSON.stringify(policy)}`);
}
