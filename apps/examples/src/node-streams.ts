/**
 * Node streams: load an NDJSON file (one JSON object per line) with `pipeline`.
 *
 * `stream.toWritable()` is an object-mode `Writable` that honours backpressure: a write completes once its
 * record is accepted, so a fast source waits while the in-flight limits are reached. Its `end()` flushes;
 * the Zerobus stream stays open for more.
 *
 *   node dist/node-streams.js
 */
import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { ZerobusSdk } from "@zerobus/sdk";
import { openTarget } from "./ingest-target/index.js";

const LINES = 2000;

/** The lines of an NDJSON file. Each line is a JSON object, so it goes to the JSON stream as is. */
async function* ndjsonLines(path: string) {
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (line.trim() !== "") yield line;
  }
}

// An export to load, as another system might have written it.
const dir = await mkdtemp(join(tmpdir(), "zerobus-example-"));
const file = join(dir, "readings.ndjson");
const rows = Array.from({ length: LINES }, (_, n) =>
  JSON.stringify({
    device_id: `sensor-${n % 20}`,
    event_time: 1_700_000_000_000_000 + n * 1000,
    celsius: 19.5,
  }),
);
await writeFile(file, `${rows.join("\n")}\n`);

const target = await openTarget("main.examples.sensor_readings");
const sdk = new ZerobusSdk(target.endpoint, target.workspaceUrl, target.sdkOptions);
const stream = await sdk.createStream(target.tableName, target.clientId, target.clientSecret);
try {
  // Several buffered lines go out as one batch of up to 100.
  await pipeline(ndjsonLines(file), stream.toWritable({ batchSize: 100 }));
  console.log(`${stream.stats().recordsAcked} lines of ${file} acknowledged`);
} finally {
  // close() rejects on a failed stream: the SDK, the target and the files are released all the same.
  try {
    await stream.close();
  } finally {
    await sdk.close();
    await target.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
