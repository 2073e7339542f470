import { runApiFloor } from "./clients/api-floor.js";
import { runBackendJs } from "./clients/backend-js.js";
import { runGrpcjsFloor } from "./clients/grpcjs-floor.js";
import { runH2Limit } from "./clients/h2-limit.js";
import { runSdk } from "./clients/sdk.js";
import { runWorkerFloor } from "./clients/worker-floor.js";
import type { BenchRecord } from "./records.js";
import { batchesOf, makeObjects, makeRecords } from "./records.js";
import type { Timing } from "./timing.js";
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

/** A client of JSON text (a {@link Workload}), or of the objects behind it (single records only). */
type Client =
  | { readonly takes: "text"; readonly run: (port: number, workload: Workload) => Promise<Timing> }
  | { readonly takes: "objects"; readonly run: (port: number, records: BenchRecord[]) => Promise<Timing> };

const clients: Record<string, Client> = {
  "h2-limit": { takes: "text", run: runH2Limit },
  "grpcjs-floor": { takes: "text", run: runGrpcjsFloor },
  "backend-js": { takes: "text", run: runBackendJs },
  "api-floor": { takes: "text", run: runApiFloor },
  "worker-floor": { takes: "text", run: runWorkerFloor },
  "sdk-objects": { takes: "objects", run: (port, records) => runSdk(port, records, "objects") },
  "sdk-reparse": { takes: "objects", run: (port, records) => runSdk(port, records, "text") },
};
function clientNamed(name: string | undefined): Client {
  const named = name === undefined ? undefined : clients[name];
  if (named === undefined) throw new Error(`unknown client ${name}`);
  return named;
}
const client = clientNamed(process.argv[2]);

function build(request: RunRequest): Workload {
  return request.workload === "singles"
    ? { kind: "singles", records: makeRecords(request.singles) }
    : { kind: "batches", batches: batchesOf(makeRecords(request.batchRecords), request.batchSize) };
}

function run(request: RunRequest): Promise<Timing> {
  if (client.takes === "text") return client.run(request.port, build(request));
  if (request.workload !== "singles") throw new Error(`${process.argv[2]} runs the singles workload only`);
  return client.run(request.port, makeObjects(request.singles));
}

process.on("message", (request: RunRequest) => {
  if (request.type !== "run") return;
  void Promise.resolve()
    .then(() => run(request))
    .then(
      (timing) => process.send?.({ type: "timing", ...timing }),
      (error: unknown) => process.send?.({ type: "error", message: String(error) }),
    );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ type: "ready" });
