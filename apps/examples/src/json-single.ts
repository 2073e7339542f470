/**
 * JSON records one at a time.
 *
 * `ingestRecord` resolves with the record's offset as soon as the SDK accepted it; the server's
 * acknowledgement comes later, in the background. `ingestRecordAndWait` resolves only once the server
 * acknowledged the record. `close()` flushes: it returns once everything accepted is acknowledged.
 *
 *   node dist/json-single.js
 */
import { ZerobusSdk } from "@zerobus/sdk";
import { openTarget } from "./ingest-target/index.js";

const target = await openTarget("main.examples.sensor_readings");
const sdk = new ZerobusSdk(target.endpoint, target.workspaceUrl, target.sdkOptions);
const stream = await sdk.createStream(target.tableName, target.clientId, target.clientSecret);
try {
  for (let i = 0; i < 9; i++) {
    // A plain object is serialised with JSON.stringify; a string is sent as is.
    const offset = await stream.ingestRecord({
      device_id: `sensor-${i % 3}`,
      event_time: Date.now() * 1000,
      celsius: 20 + i / 2,
      humidity: 40 + i,
    });
    console.log(`accepted reading ${i} at offset ${offset}`);
  }
  const last = await stream.ingestRecordAndWait('{"device_id":"sensor-0","event_time":0,"celsius":25.5}');
  console.log(`offset ${last} acknowledged (and with it every offset before it)`);
} finally {
  // close() rejects on a failed stream: the SDK and the target are released all the same.
  try {
    await stream.close();
  } finally {
    await sdk.close();
    await target.stop();
  }
}
