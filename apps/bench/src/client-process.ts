import { runApiFloor } from "./clients/api-floor.js";
import { runGrpcjsFloor } from "./clients/grpcjs-floor.js";
import { runH2Limit } from "./clients/h2-limit.js";
import { runOfficial } from "./clients/official.js";
import { runSdkStrings } from "./clients/sdk-strings.js";
import { runStream } from "./clients/stream.js";
import type { BenchTarget } from "./clients/target.js";
import { ClientUnavailable } from "./clients/target.js";
import { runSdkOfBase, runSdkWithTelemetry } from "./clients/telemetry-variants.js";
import { runWorkerFloor } from "./clients/worker-floor.js";
import { batchesOf, makeRecords, makeSizedRecords } from "./records.js";
import type { Timing } from "./timing.js";
import type { Workload } from "./workload.js";
import { payloadBytes } from "./workload.js";

/**
 * A bench client in its own process (`fork`), one per client and workload, kept alive across rounds: one
 * run's garbage, heap growth and JIT state never leak into another's timing (200k grpc-js messages, or a
 * million batched records, leave a process measurably slower for whatever runs next). The parent sends
 * `run` messages; each runs its workload (built once per case, see `workloadFor`) and answers with the timing.
 */

/** The workload of one run, built in the client process (a case of `cases.ts`, its record count capped). */
export interface WorkloadSpec {
  kind: "singles" | "batches";
  records: number;
  /** Bytes of each record; undefined for the JSON records of about 100 bytes. */
  recordBytes: number | undefined;
  batchSize: number;
  outstanding: number;
}

/** What the parent asks. */
export interface RunRequest {
  type: "run";
  port: number;
  /** The server's CA when it speaks TLS (the clients of the side-by-side rows), and a file holding it. */
  ca?: string;
  caFile?: string;
  workload: WorkloadSpec;
}

/** What a run answers: its timing and the payload it carried. */
export interface RunReply extends Timing {
  payloadBytes: number;
}

/** A client of JSON text (a {@link Workload}) on a plaintext port, or on a target (TLS when it has a CA). */
type Client =
  | { readonly takes: "text"; readonly run: (port: number, workload: Workload) => Promise<Timing> }
  | { readonly takes: "target"; readonly run: (target: BenchTarget, workload: Workload) => Promise<Timing> };

const clients: Record<string, Client> = {
  "h2-limit": { takes: "target", run: runH2Limit },
  "grpcjs-floor": { takes: "target", run: runGrpcjsFloor },
  "api-floor": { takes: "target", run: runApiFloor },
  "worker-floor": { takes: "text", run: runWorkerFloor },
  "stream-js": { takes: "target", run: (target, workload) => runStream("js", target, workload) },
  "stream-native": { takes: "target", run: (target, workload) => runStream("native", target, workload) },
  "sdk-js": { takes: "target", run: (target, workload) => runSdkStrings("js", target, workload) },
  "sdk-native": { takes: "target", run: (target, workload) => runSdkStrings("native", target, workload) },
  "sdk-js-otel": { takes: "target", run: (target, workload) => runSdkWithTelemetry("js", target, workload) },
  "sdk-native-otel": {
    takes: "target",
    run: (target, workload) => runSdkWithTelemetry("native", target, workload),
  },
  "sdk-js-base": { takes: "target", run: (target, workload) => runSdkOfBase("js", target, workload) },
  "sdk-native-base": { takes: "target", run: (target, workload) => runSdkOfBase("native", target, workload) },
  official: { takes: "target", run: (target, workload) => runOfficial("awaited", target, workload) },
  "official-pipelined": {
    takes: "target",
    run: (target, workload) => runOfficial("pipelined", target, workload),
  },
};
function clientNamed(name: string | undefined): Client {
  const named = name === undefined ? undefined : clients[name];
  if (named === undefined) throw new Error(`unknown client ${name}`);
  return named;
}
const client = clientNamed(process.argv[2]);

function build(spec: WorkloadSpec): Workload {
  const records =
    spec.recordBytes === undefined
      ? makeRecords(spec.records)
      : makeSizedRecords(spec.records, spec.recordBytes);
  return spec.kind === "singles"
    ? { kind: "singles", records, outstanding: spec.outstanding }
    : { kind: "batches", batches: batchesOf(records, spec.batchSize), outstanding: spec.outstanding };
}

/**
 * The last workload built, reused while the parent asks for the same one: the rounds of a case run the
 * same records (what they take to build, up to a second for a million, would otherwise double a full
 * run's time). Every client keeps its records across rounds alike, and each timing starts after a GC.
 */
let built: { key: string; workload: Workload; payloadBytes: number } | undefined;

function workloadFor(spec: WorkloadSpec): { workload: Workload; payloadBytes: number } {
  const key = JSON.stringify(spec);
  if (built?.key !== key) {
    built = undefined;
    const workload = build(spec);
    built = { key, workload, payloadBytes: payloadBytes(workload) };
  }
  return built;
}

async function run(request: RunRequest): Promise<RunReply> {
  const { workload, payloadBytes: bytes } = workloadFor(request.workload);
  if (client.takes === "target") {
    const { port, ca, caFile } = request;
    const target = ca === undefined || caFile === undefined ? { port } : { port, ca, caFile };
    return { ...(await client.run(target, workload)), payloadBytes: bytes };
  }
  return { ...(await client.run(request.port, workload)), payloadBytes: bytes };
}

process.on("message", (request: RunRequest) => {
  if (request.type !== "run") return;
  void Promise.resolve()
    .then(() => run(request))
    .then(
      (timing) => process.send?.({ type: "timing", ...timing }),
      (error: unknown) =>
        process.send?.(
          error instanceof ClientUnavailable
            ? { type: "unavailable", message: error.message }
            : { type: "error", message: String(error) },
        ),
    );
});
process.on("disconnect", () => process.exit(0));
process.send?.({ type: "ready" });
