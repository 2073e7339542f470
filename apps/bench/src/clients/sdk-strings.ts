import { ZerobusSdk } from "@zerobus/sdk";
import type { Timing } from "../timing.js";
import type { Workload } from "../workload.js";
import { ingestAwaited } from "../workload.js";
import type { BenchBackend } from "./stream.js";
import type { BenchTarget } from "./target.js";
import { ClientUnavailable, endpointOf } from "./target.js";

/**
 * `sdk-js` / `sdk-native`: what users get. The public `@zerobus/sdk` with default stream options
 * (`validateRecords` on: every string record is parsed as a JSON object), string records, each ingest call
 * awaited one by one, then a flush. Returns the time from the first ingest call to the end of the flush.
 */
export async function runSdkStrings(
  backend: BenchBackend,
  target: BenchTarget,
  workload: Workload,
): Promise<Timing> {
  let sdk: ZerobusSdk;
  try {
    sdk = new ZerobusSdk(endpointOf(target), undefined, {
      backend,
      workspaceId: "1",
      ...(target.ca === undefined ? { allowInsecure: true } : { tls: { ca: target.ca } }),
    });
  } catch (error) {
    throw new ClientUnavailable(error instanceof Error ? error.message : String(error));
  }
  const stream = await sdk.createStreamWithHeadersProvider("bench.default.t", { getHeaders: () => ({}) });
  const timing = await ingestAwaited(stream, workload);
  await stream.close();
  await sdk.close();
  return timing;
}
