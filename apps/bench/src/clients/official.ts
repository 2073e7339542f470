import { loadOfficialBinary } from "../memory/official-binary.js";
import type { Timing } from "../timing.js";
import { startTiming } from "../timing.js";
import type { Workload } from "../workload.js";
import { ingestInCallOrder } from "../workload.js";
import type { BenchTarget } from "./target.js";
import { ClientUnavailable, endpointOf } from "./target.js";

/** How the official client calls: each call awaited (its README's examples), or all in flight at once. */
export type OfficialMode = "awaited" | "pipelined";

/**
 * `official` / `official-pipelined`: the official SDK's native binary 1.3.0 (loaded directly, see
 * `memory/official-binary.ts`), always over TLS, trusting the server's CA through `SSL_CERT_FILE`.
 * `awaited` keeps the workload's `outstanding` calls of `ingestRecordOffset` / `ingestRecordsOffset` (which
 * resolve once the record is queued) in flight, 1 being each awaited one by one as its README's examples
 * do; `pipelined` starts every call at once, then awaits them all. Both count the offsets that do not
 * follow call order and end with a flush.
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
  if (mode === "awaited") {
    const timing = await ingestInCallOrder(
      {
        ingestRecord: (record) => stream.ingestRecordOffset(record),
        // The addon copies the array's strings into Rust; it never keeps or changes the array.
        ingestRecords: (records) => stream.ingestRecordsOffset(records as string[]),
        flush: () => stream.flush(),
      },
      workload,
    );
    await stream.close();
    return timing;
  }
  const stop = startTiming();
  const calls =
    workload.kind === "singles"
      ? workload.records.map((record) => stream.ingestRecordOffset(record))
      : workload.batches.map((batch) => stream.ingestRecordsOffset(batch as string[]));
  const offsets = await Promise.all(calls);
  let outOfOrder = 0;
  offsets.forEach((offset, call) => {
    if (offset === null || BigInt(offset) !== BigInt(call)) outOfOrder++;
  });
  await stream.flush();
  const timing = stop();
  await stream.close();
  return { ...timing, outOfOrder };
}
