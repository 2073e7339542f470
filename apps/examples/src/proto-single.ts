/**
 * Protobuf records from a protobuf-es generated message (`proto/sensor_reading.proto`, generated into
 * `src/gen` by `pnpm generate`).
 *
 * Give the stream the message's schema as `descriptorProto`: the SDK derives the descriptor the service
 * needs, nested types included, so no `protoc` and no descriptor file are needed. The stream then takes
 * messages of that type (or their encoded bytes), and the compiler rejects anything else.
 *
 *   node dist/proto-single.js
 */
import { create } from "@bufbuild/protobuf";
import { ZerobusSdk } from "@zerobus/sdk";
import { SensorReading_Status, SensorReadingSchema } from "./gen/sensor_reading_pb.js";
import { openTarget } from "./ingest-target/index.js";

const target = await openTarget("main.examples.sensor_readings_proto");
const sdk = new ZerobusSdk(target.endpoint, target.workspaceUrl, target.sdkOptions);
const stream = await sdk.createStream(
  { tableName: target.tableName, descriptorProto: SensorReadingSchema },
  target.clientId,
  target.clientSecret,
);
try {
  for (let i = 0; i < 10; i++) {
    const reading = create(SensorReadingSchema, {
      deviceId: `sensor-${i % 3}`,
      eventTime: BigInt(Date.now()) * 1000n,
      celsius: 21 + i / 10,
      humidity: 45,
      location: { site: "plant-a", floor: 1 + (i % 2) },
      status: i === 9 ? SensorReading_Status.LOW_BATTERY : SensorReading_Status.OK,
    });
    const offset = await stream.ingestRecord(reading);
    console.log(`accepted ${reading.deviceId} at offset ${offset}`);
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
