/**
 * JSON records in batches.
 *
 * `ingestRecords` accepts a batch under one offset; the server acknowledges the batch as a whole. Batches
 * are the cheapest way to send many records: one request, one offset, one acknowledgement.
 *
 *   node dist/json-batch.js
 */
import { ZerobusSdk } from "@zerobus/sdk";
import { openTarget } from "./ingest-target/index.js";

const BATCHES = 5;
const BATCH_SIZE = 100;

const target = await openTarget("main.examples.sensor_readings");
const sdk = new ZerobusSdk(target.endpoint, target.workspaceUrl, target.sdkOptions);
const stream = await sdk.createStream(target.tableName, target.clientId, target.clientSecret, {
  // Acknowledgements are cumulative: one call may cover several batches.
  onAck: (upToOffset) => console.log(`acknowledged up to offset ${upToOffset}`),
});
try {
  let lastOffset = -1n;
  for (let b = 0; b < BATCHES; b++) {
    const batch = Array.from({ length: BATCH_SIZE }, (_, i) => ({
      device_id: `sensor-${i % 10}`,
      event_time: Date.now() * 1000,
      celsius: 18 + (b * BATCH_SIZE + i) / 100,
    }));
    lastOffset = await stream.ingestRecords(batch);
    console.log(`batch ${b} of ${batch.length} readings accepted at offset ${lastOffset}`);
  }
  await stream.waitForOffset(lastOffset);
  const { recordsAccepted, recordsAcked } = stream.stats();
  console.log(`${recordsAccepted} readings accepted, ${recordsAcked} acknowledged`);
} finally {
  // close() rejects on a failed stream: the SDK and the target are released all the same.
  try {
    await stream.close();
  } finally {
    await sdk.close();
    await target.stop();
  }
}
