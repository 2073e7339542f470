import type { CreateBackend } from "@zerobus/core";
import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";
import type { Timing } from "../timing.js";
import type { Workload } from "../workload.js";
import { ingestInCallOrder } from "../workload.js";
import type { BenchTarget } from "./target.js";
import { ClientUnavailable, endpointOf } from "./target.js";

/** The two backends a `stream-*` client runs over. */
export type BenchBackend = "js" | "native";

async function backendFactory(backend: BenchBackend): Promise<CreateBackend> {
  if (backend === "js") return (await import("@zerobus/backend-js")).createBackend;
  const native = await import("@zerobus/backend-native");
  if (!native.isNativeAvailable()) throw new ClientUnavailable("the native addon is not built here");
  return native.createBackend;
}

/**
 * `stream-js` / `stream-native`: the core stream of `@zerobus/core/internal` over one backend's connections
 * (what the SDK runs, without its argument checks and encoding), validation off, the workload's calls in
 * flight (1: each awaited one by one), then a flush: what the floors are compared with. Returns the time from the first ingest
 * call to the end of the flush.
 */
export async function runStream(
  backend: BenchBackend,
  target: BenchTarget,
  workload: Workload,
): Promise<Timing> {
  const createBackend = await backendFactory(backend);
  const streams = new StreamRegistry(
    createBackend({
      endpoint: endpointOf(target),
      allowInsecure: target.ca === undefined,
      workspaceId: "bench",
      logger: silentLogger,
      ...(target.ca === undefined ? {} : { tls: { ca: target.ca } }),
    }),
  );
  const options = resolveStreamOptions({ validateRecords: false }, { hasDescriptor: false });
  const stream = await streams.openStream({ tableName: "bench.default.t" }, options, {
    getHeaders: () => ({}),
  });
  const timing = await ingestInCallOrder(stream, workload);
  await stream.close();
  await streams.close();
  return timing;
}
