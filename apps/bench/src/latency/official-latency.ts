import type { BenchTarget } from "../clients/target.js";
import { ClientUnavailable, endpointOf } from "../clients/target.js";
import { loadOfficialBinary } from "../memory/official-binary.js";
import type { OfficialSdk, OfficialStream } from "../memory/official-types.js";
import type { AckTracker } from "./ack-tracker.js";
import type { LatencySession } from "./latency-session.js";

/** The official stream with the one method W4 adds to what `official-types.d.ts` describes. */
interface OfficialLatencyStream extends OfficialStream {
  /** Resolves once the server acknowledged `offset` (and everything before it). */
  waitForOffset(offset: bigint): Promise<void>;
}

/** One SDK object per process, made at the first run (the binary reads `SSL_CERT_FILE` when it is made). */
let official: { sdk: OfficialSdk; json: number } | undefined;

function officialFor(target: BenchTarget): { sdk: OfficialSdk; json: number } {
  if (official !== undefined) return official;
  if (target.caFile === undefined) throw new ClientUnavailable("the official binary speaks TLS only");
  const load = loadOfficialBinary();
  if ("unavailable" in load) throw new ClientUnavailable(load.unavailable);
  process.env.SSL_CERT_FILE = target.caFile;
  const sdk = new load.binary.ZerobusSdk(endpointOf(target), "https://127.0.0.1:1");
  official = { sdk, json: load.binary.RecordType.Json };
  return official;
}

/**
 * `official` for W4 (a reference row): the official SDK's binary 1.3.0, a fresh stream per run, each record
 * through `ingestRecordOffset` then `waitForOffset(offset)`, the binary's only way to show an ack; the
 * latency is the call → `waitForOffset` resolving. The sender does not wait for either before the next
 * record (awaiting each call caps it near the 20k calls/s W1 measures), so the calls of one wake run
 * side by side; each record's chain reports its own ack. `maxInflightRequests` is the run's record count,
 * so the binary's window never throttles the schedule.
 */
export async function openOfficialLatency(
  target: BenchTarget,
  records: readonly string[],
  tracker: AckTracker,
): Promise<LatencySession> {
  const { sdk, json } = officialFor(target);
  const stream = (await sdk.createStream(
    { tableName: "bench.default.t" },
    "",
    "",
    { recordType: json, maxInflightRequests: Math.max(records.length, 1) },
    {
      getHeadersCallback: () => [
        ["authorization", "Bearer bench"],
        ["x-databricks-zerobus-table-name", "bench.default.t"],
      ],
    },
  )) as OfficialLatencyStream;
  const fail = (error: unknown) => tracker.fail(error);
  const ingest = (index: number) => {
    stream
      .ingestRecordOffset(records[index] as string)
      .then((offset) => {
        if (offset === null) throw new Error(`record ${index} got no offset`);
        return stream.waitForOffset(offset);
      })
      .then(() => tracker.ackOne(index), fail);
  };
  return {
    send: (from, to) => {
      for (let i = from; i < to; i++) ingest(i);
    },
    close: () => stream.close(),
  };
}
