import { loadOfficialBinary } from "../memory/official-binary.js";
import type { Timing } from "../timing.js";
import { startTiming } from "../timing.js";
import type { Workload } from "../workload.js";
import type { BenchTarget } from "./target.js";
import { ClientUnavailable, endpointOf } from "./target.js";

/** How the official client calls: each call awaited (its README's examples), or all in flight at once. */
export type OfficialMode = "awaited" | "pipelined";

/**
 * `official` / `official-pipelined`: the official SDK's native binary 1.3.0 (loaded directly, see
 * `memory/official-binary.ts`), always over TLS, trusting the server's CA through `SSL_CERT_FILE`.
 * `awaited` awaits each `ingestRecordOffset` / `ingestRecordsOffset` (which resolve once the record is
 * queued) one by one; `pipelined` starts every call at once, then awaits them all and counts how many
 * offsets do not follow call order. Both end with a flush.
 */
export async function runOfficial(
  mode: OfficialMode,
  target: BenchTarget,
  workload: Workload,
): Promise<Timing> {
  if (target.caFile === undefined) throw new ClientUnavailable("the official binary speaks TLS only");
  const load = loadOfficialBinary();
  if ("unavailable" in load) throw new ClientUnavailable(load.unavailable);
  // Read when the binary builds its TLS configuration, for each new SDK.
  process.env.SSL_CERT_FILE = target.caFile;
  const { binary } = load;
  const sdk = new binary.ZerobusSdk(endpointOf(target), "https://127.0.0.1:1");
  const units = workload.kind === "singles" ? workload.records.length : workload.batches.length;
  const stream = await sdk.createStream(
    { tableName: "bench.default.t" },
    "",
    "",
    { recordType: binary.RecordType.Json, maxInflightRequests: Math.max(units, 1) },
    {
      getHeadersCallback: () => [
        ["authorization", "Bearer bench"],
        ["x-databricks-zerobus-table-name", "bench.default.t"],
      ],
    },
  );
  const stop = startTiming();
  let outOfOrder = 0;
  if (mode === "awaited") {
    if (workload.kind === "singles") {
      for (const record of workload.records) await stream.ingestRecordOffset(record);
    } else {
      for (const batch of workload.batches) await stream.ingestRecordsOffset([...batch]);
    }
  } else {
    const calls =
      workload.kind === "singles"
        ? workload.records.map((record) => stream.ingestRecordOffset(record))
        : workload.batches.map((batch) => stream.ingestRecordsOffset([...batch]));
    const offsets = await Promise.all(calls);
    offsets.forEach((offset, call) => {
      if (offset === null || BigInt(offset) !== BigInt(call)) outOfOrder++;
    });
  }
  await stream.flush();
  const timing = stop();
  await stream.close();
  return { ...timing, outOfOrder };
}
