import { runApiFloor } from "./clients/api-floor.js";
import { runBackendJs } from "./clients/backend-js.js";
import { runGrpcjsFloor } from "./clients/grpcjs-floor.js";
import { runH2Limit } from "./clients/h2-limit.js";
import { runWorkerFloor } from "./clients/worker-floor.js";
import { batchesOf, makeRecords } from "./records.js";
import type { Workload } from "./workload.js";

/**
 * A bench client in its own process (`fork`), one per client and workload, kept alive across rounds: one
 * run's garbage, heap growth and JIT state never leak into another's timing (200k grpc-js messages, or a
 * million batched records, leave a process measurably slower for whatever runs next). The parent sends
 * `run` messages; each builds its workload fresh, runs it and answers with the timing.
 */

/** A workload by name, built in the client process. */
export type WorkloadName = "singles" | "batches";

/** What the parent asks. */
export interface RunRequest {
  type: "run";
  port: number;
  workload: WorkloadName;
  singles: number;
  batchRecords: number;
  batchSize: number;
}

const clients = {
  "h2-limit": runH2Limit,
  "grpcjs-floor": runGrpcjsFloor,
  "backend-js": runBackendJs,
  "api-floor": runApiFloor,
  "worker-floor": runWorkerFloor,
} as const;
const client = clients[process.argv[2] as keyof typeof clients];
if (client === undefined) throw new Error(`unknown client ${process.argv[2]}`);

function build(request: RunRequest): Workload {
  return request.workload === "singles"
    ? { kind: "singles", records: makeRecords(request.singles) }
    : { kind: "batches", batches: batchesOf(makeRecords(request.batchRecords), request.batchSize) };
}

process.on("message", (request: RunRequest) => {
  if (request.type !== "run") return;
  void client(request.port, build(request)).then(
    (timing) => process.send?.({ type: "timing", ...timing }),
    (error: unknown) => process.send?.({ type: "error", message: String(error) }),
  );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ type: "ready" });
