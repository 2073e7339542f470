import type { BenchTarget } from "../clients/target.js";
import { ClientUnavailable } from "../clients/target.js";
import { openH2LimitLatency } from "./h2-limit-latency.js";
import type { LatencyCase } from "./latency-case.js";
import { runLatencyCase } from "./latency-run.js";
import type { OpenLatencySession } from "./latency-session.js";
import { openOfficialLatency } from "./official-latency.js";
import { openSdkLatency } from "./sdk-latency.js";

/**
 * A W4 client in its own process (`fork`, `--expose-gc`), kept alive across every case so its code stays
 * compiled, as in an application that has been running: the parent sends `run` messages, each a fresh
 * stream for one case, answered with the run's figures. One process per client keeps one client's
 * garbage and timers out of another's latencies.
 */

/** What the parent asks. */
export interface LatencyRunRequest {
  type: "run";
  target: BenchTarget;
  latencyCase: LatencyCase;
}

/** The W4 clients, by the name the table shows. */
const clients: Record<string, OpenLatencySession> = {
  "h2-limit": openH2LimitLatency,
  "sdk-js": (target, records, tracker) => openSdkLatency("js", target, records, tracker),
  "sdk-native": (target, records, tracker) => openSdkLatency("native", target, records, tracker),
  official: openOfficialLatency,
};

const name = process.argv[2] ?? "";
const open = clients[name];
if (open === undefined) throw new Error(`unknown W4 client ${name}`);

process.on("message", (request: LatencyRunRequest) => {
  if (request.type !== "run") return;
  runLatencyCase(open, request.target, request.latencyCase).then(
    (outcome) => process.send?.({ type: "outcome", outcome }),
    (error: unknown) =>
      process.send?.(
        error instanceof ClientUnavailable
          ? { type: "unavailable", message: error.message }
          : { type: "error", message: error instanceof Error ? error.message : String(error) },
      ),
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ type: "ready" });
