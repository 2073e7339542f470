import { ZerobusSdk } from "@zerobus/sdk";
import type { BenchRecord } from "../records.js";
import type { Timing } from "../timing.js";
import { startTiming } from "../timing.js";

/** How the SDK clients hand their objects to `ingestRecord`. */
export type SdkRecordForm = "objects" | "text";

/**
 * `sdk-objects` and `sdk-reparse`: the public `@zerobus/sdk` on the js backend, with a headers provider,
 * each record awaited one by one, then a flush; default stream options (`validateRecords` on).
 * `objects` passes each object as it is: the SDK serialises it and, knowing the text is a JSON object, does
 * not parse it again. `text` serialises each object in the loop and passes the text: the same work as
 * before, plus the parse that `validateRecords` runs on text a caller gives (what object records cost
 * when the stream parsed the SDK's own text again). Returns the time from the first ingest call to the
 * end of the flush.
 */
export async function runSdk(
  port: number,
  records: readonly BenchRecord[],
  form: SdkRecordForm,
): Promise<Timing> {
  const sdk = new ZerobusSdk(`http://127.0.0.1:${port}`, undefined, {
    allowInsecure: true,
    backend: "js",
    workspaceId: "1",
  });
  const stream = await sdk.createStreamWithHeadersProvider("bench.default.t", { getHeaders: () => ({}) });
  const stop = startTiming();
  if (form === "objects") {
    for (const record of records) await stream.ingestRecord(record);
  } else {
    for (const record of records) await stream.ingestRecord(JSON.stringify(record));
  }
  await stream.flush();
  const timing = stop();
  await stream.close();
  await sdk.close();
  return timing;
}
