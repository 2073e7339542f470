import { ZerobusSdk, type ZerobusSdkOptions } from "@zerobus/sdk";
import { constructSdk } from "../sdk-for.js";
import type { Timing } from "../timing.js";
import type { Workload } from "../workload.js";
import { ingestInCallOrder } from "../workload.js";
import type { BenchBackend } from "./stream.js";
import type { BenchTarget } from "./target.js";
import { ClientUnavailable, endpointOf } from "./target.js";

/**
 * `sdk-js` / `sdk-native`: what users get. The public `@zerobus/sdk` with default stream options
 * (`validateRecords` on: every string record is parsed as a JSON object), string records, the workload's
 * calls in flight (1: each awaited one by one), then a flush. Returns the time from the first ingest call
 * to the end of the flush.
 */
export async function runSdkStrings(
  backend: BenchBackend,
  target: BenchTarget,
  workload: Workload,
  variant: SdkVariant = {},
): Promise<Timing> {
  const sdk = constructSdk(
    variant.Sdk ?? ZerobusSdk,
    backend,
    endpointOf(target),
    target.ca,
    variant.options,
  );
  if ("unavailable" in sdk) throw new ClientUnavailable(sdk.unavailable);
  const stream = await sdk.createStreamWithHeadersProvider("bench.default.t", { getHeaders: () => ({}) });
  const timing = await ingestInCallOrder(stream, workload);
  await stream.close();
  await sdk.close();
  return timing;
}

/** W7's variants of the SDK client: another build's class (the base), or extra options (telemetry on). */
export interface SdkVariant {
  readonly Sdk?: typeof ZerobusSdk;
  readonly options?: Partial<ZerobusSdkOptions>;
}
