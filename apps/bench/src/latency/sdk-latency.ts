import { ZerobusSdk } from "@zerobus/sdk";
import type { BenchBackend } from "../clients/stream.js";
import type { BenchTarget } from "../clients/target.js";
import { ClientUnavailable, endpointOf } from "../clients/target.js";
import { constructSdk } from "../sdk-for.js";
import type { AckTracker } from "./ack-tracker.js";
import type { LatencySession } from "./latency-session.js";

/** One SDK per process and backend, made at the first run: W4 times streams, not the SDK's construction. */
const sdks = new Map<BenchBackend, ZerobusSdk>();

function sdkFor(backend: BenchBackend, target: BenchTarget): ZerobusSdk {
  const existing = sdks.get(backend);
  if (existing !== undefined) return existing;
  const sdk = constructSdk(ZerobusSdk, backend, endpointOf(target), target.ca);
  if ("unavailable" in sdk) throw new ClientUnavailable(sdk.unavailable);
  sdks.set(backend, sdk);
  return sdk;
}

/**
 * `sdk-js` / `sdk-native` for W4: the public `@zerobus/sdk`, a fresh stream per run with default options
 * plus the `onAck` event, string records, each `ingestRecord` awaited in call order (it resolves once
 * the record is accepted). The stream's logical offsets count from 0, so record `i`'s offset is `i`;
 * `onAck(upTo)` acknowledges every record up to it in the tracker (no promise per record for its ack).
 */
export async function openSdkLatency(
  backend: BenchBackend,
  target: BenchTarget,
  records: readonly string[],
  tracker: AckTracker,
): Promise<LatencySession> {
  const sdk = sdkFor(backend, target);
  const stream = await sdk.createStreamWithHeadersProvider(
    "bench.default.t",
    { getHeaders: () => ({}) },
    {
      onAck: (upTo) => tracker.ackUpTo(Number(upTo)),
      onError: (error) => tracker.fail(error),
    },
  );
  return {
    send: async (from, to) => {
      for (let i = from; i < to; i++) {
        const offset = await stream.ingestRecord(records[i] as string);
        if (Number(offset) !== i)
          throw new Error(`record ${i} got offset ${offset}: offsets must follow calls`);
      }
    },
    close: () => stream.close(),
  };
}
