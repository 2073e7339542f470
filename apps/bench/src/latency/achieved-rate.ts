/**
 * The rate a run sustained, in records per second: records acknowledged ÷ (time of the last ack − start
 * − the server's ack delay). The ack delay is the server's constant wait (every record pays it once,
 * whatever the client does), so it is taken out; what remains is the time the client needed to get every
 * record to the server and its ack back. A client that keeps up ends within a few milliseconds of the
 * schedule (rate ≈ offered); one whose queue grows ends late, and the rate falls below the offered one.
 *
 * The closed loop has no offered rate: its figure is round trips per second, delay included (each round
 * trip waits for it). `undefined` when nothing was acknowledged.
 */
export function achievedRate(
  run: { count: number; start: number; lastAckAt: number | undefined },
  mode: "closed" | "open",
  ackDelayMs: number,
): number | undefined {
  if (run.count === 0 || run.lastAckAt === undefined) return undefined;
  const ms = run.lastAckAt - run.start - (mode === "open" ? ackDelayMs : 0);
  return ms > 0 ? (run.count * 1000) / ms : undefined;
}
