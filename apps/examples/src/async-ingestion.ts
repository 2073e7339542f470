/**
 * Many ingests at once, deadlines and cancellation.
 *
 * A stream is safe to share between concurrent async tasks: calls need not be awaited one by one, and
 * offsets follow call order. Every call takes `{ signal }`: an `AbortSignal` that gives up waiting (for
 * room, or for the acknowledgement) with a `cancelled` error.
 *
 *   node dist/async-ingestion.js
 */
import { isZerobusError, ZerobusSdk } from "@zerobus/sdk";
import { openTarget } from "./ingest-target/index.js";

const reading = (device: string, n: number) => ({
  device_id: device,
  event_time: Date.now() * 1000,
  celsius: 20 + (n % 50) / 10,
});

/** A slow source, such as a device feed: readings arrive one by one. */
async function* feed(device: string, count: number) {
  for (let n = 0; n < count; n++) {
    if (n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    yield reading(device, n);
  }
}

const target = await openTarget("main.examples.sensor_readings");
const sdk = new ZerobusSdk(target.endpoint, target.workspaceUrl, target.sdkOptions);
const stream = await sdk.createStream(target.tableName, target.clientId, target.clientSecret);
try {
  // 1. A thousand ingests in flight at once; the offsets come back in call order.
  const offsets = await Promise.all(
    Array.from({ length: 1000 }, (_, n) => stream.ingestRecord(reading("sensor-0", n))),
  );
  console.log(`1000 readings accepted at offsets ${offsets[0]}…${offsets.at(-1)}`);

  // 2. Three producers sharing the stream, each batching its own feed, all under one deadline.
  const deadline = AbortSignal.timeout(30_000);
  const results = await Promise.all(
    ["sensor-1", "sensor-2", "sensor-3"].map((device) =>
      stream.ingestAll(feed(device, 200), { batchSize: 50, signal: deadline }),
    ),
  );
  console.log(`producers accepted ${results.map((r) => r.count).join(" + ")} readings`);

  // 3. Wait for one batch's acknowledgement, giving up after 10 seconds.
  const offset = await stream.ingestRecordsAndWait([reading("sensor-4", 0), reading("sensor-4", 1)], {
    signal: AbortSignal.timeout(10_000),
  });
  console.log(`batch at offset ${offset} acknowledged`);

  // 4. An aborted signal: the call rejects with `cancelled` and nothing is accepted.
  const controller = new AbortController();
  controller.abort();
  try {
    await stream.ingestRecord(reading("sensor-5", 0), { signal: controller.signal });
  } catch (error) {
    if (!isZerobusError(error) || error.code !== "cancelled") throw error;
    console.log(`cancelled as asked (${error.code}, retryable: ${error.retryable})`);
  }

  await stream.flush();
  console.log(`${stream.stats().recordsAcked} readings acknowledged`);
} finally {
  // close() rejects on a failed stream: the SDK and the target are released all the same.
  try {
    await stream.close();
  } finally {
    await sdk.close();
    await target.stop();
  }
}
