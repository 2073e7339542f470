import { createBackend } from "@zerobus/backend-js";
import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";
import type { Timing } from "../timing.js";
import { startTiming } from "../timing.js";
import type { Workload } from "../workload.js";

/**
 * `backend-js`: the core stream of `@zerobus/core/internal` over backend-js's connections (what the SDK
 * runs, without its argument checks and encoding), each ingest call awaited one by one, then a flush.
 * Returns the time from the first ingest call to the end of the flush.
 */
export async function runBackendJs(port: number, workload: Workload): Promise<Timing> {
  const backend = new StreamRegistry(
    createBackend({
      endpoint: `http://127.0.0.1:${port}`,
      allowInsecure: true,
      workspaceId: "bench",
      logger: silentLogger,
    }),
  );
  const options = resolveStreamOptions({ validateRecords: false }, { hasDescriptor: false });
  const stream = await backend.openStream({ tableName: "bench.default.t" }, options, {
    getHeaders: () => ({}),
  });
  const stop = startTiming();
  if (workload.kind === "singles") {
    for (const record of workload.records) await stream.ingestRecord(record);
  } else {
    for (const batch of workload.batches) await stream.ingestRecords(batch);
  }
  await stream.flush();
  const timing = stop();
  await stream.close();
  await backend.close();
  return timing;
}
