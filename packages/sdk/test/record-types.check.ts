/**
 * Compile-time checks of the typed overloads (run by `pnpm typecheck`, never executed): the compiler must
 * refuse a Proto message on a JSON stream, bytes on a JSON stream, and JSON on a Proto stream.
 */
import { create } from "@bufbuild/protobuf";
import { DurationSchema, TimestampSchema } from "@bufbuild/protobuf/wkt";
import bunyan from "bunyan";
import { pino } from "pino";
import { RecordType, ZerobusSdk } from "../src/index.js";

export async function typedOverloads(sdk: ZerobusSdk, provider: () => Record<string, string>): Promise<void> {
  const json = await sdk.createStreamWithHeadersProvider("main.default.events", provider);
  await json.ingestRecord({ device: "t-1", celsius: 21.5 });
  await json.ingestRecord('{"device":"t-1"}');
  await json.ingestRecords([{ a: 1 }, "{}"]);
  // @ts-expect-error a protobuf message on a JSON stream
  await json.ingestRecord(create(TimestampSchema));
  // @ts-expect-error bytes on a JSON stream
  await json.ingestRecord(new Uint8Array([1]));
  // @ts-expect-error a number is not a record
  await json.ingestRecord(42);
  const jsonUnacked: string[] = json.getUnackedRecords();

  const proto = await sdk.createStreamWithHeadersProvider(
    { tableName: "main.default.events", descriptorProto: TimestampSchema },
    provider,
  );
  await proto.ingestRecord(create(TimestampSchema, { seconds: 1n }));
  await proto.ingestRecord(new Uint8Array([8, 1]));
  // @ts-expect-error a message of another type
  await proto.ingestRecord(create(DurationSchema));
  // @ts-expect-error a JSON object on a Proto stream
  await proto.ingestRecord({ seconds: 1 });
  // @ts-expect-error a JSON string on a Proto stream
  await proto.ingestRecord("{}");
  const protoUnacked: Uint8Array[] = proto.getUnackedRecords();

  const bytes = await sdk.createStream(
    { tableName: "main.default.events", descriptorProto: new Uint8Array() },
    "id",
    "secret",
  );
  await bytes.ingestRecords([new Uint8Array([8, 1])]);
  // @ts-expect-error messages need a stream created with their DescMessage
  await bytes.ingestRecord(create(TimestampSchema));
  void jsonUnacked;
  void protoUnacked;
}

interface SensorReading {
  device: string;
  celsius: number;
}

/** A row type makes a JSON stream take that shape only; arrays never compile on a JSON stream. */
export async function typedRows(sdk: ZerobusSdk, provider: () => Record<string, string>): Promise<void> {
  const typed = await sdk.createStream<SensorReading>("main.iot.readings");
  await typed.ingestRecord({ device: "t-1", celsius: 21.5 });
  await typed.ingestRecords([{ device: "t-1", celsius: 21.5 }]);
  await typed.ingestRecordAndWait({ device: "t-2", celsius: 3 });
  // @ts-expect-error a field of the wrong type
  await typed.ingestRecord({ device: "t-1", celsius: "warm" });
  // @ts-expect-error a missing field
  await typed.ingestRecord({ device: "t-1" });
  // @ts-expect-error a JSON array is not a row
  await typed.ingestRecord([{ device: "t-1", celsius: 1 }]);
  // @ts-expect-error JSON text skips the row type: use an untyped stream for it
  await typed.ingestRecord('{"device":"t-1","celsius":1}');
  const typedUnacked: string[] = typed.getUnackedRecords();

  const withProvider = await sdk.createStreamWithHeadersProvider<SensorReading>(
    "main.iot.readings",
    provider,
    {
      maxInflightRecords: 10,
    },
  );
  await withProvider.ingestRecords([{ device: "t-1", celsius: 1 }]);
  // @ts-expect-error an array of rows where one row goes
  await withProvider.ingestRecord([{ device: "t-1", celsius: 1 }]);

  const withCredentials = await sdk.createStream<SensorReading>("main.iot.readings", "id", "secret", {
    recordType: RecordType.Json,
  });
  await withCredentials.ingestRecord({ device: "t-1", celsius: 1 });

  const untyped = await sdk.createStream("main.iot.readings", { maxInflightRecords: 10 });
  await untyped.ingestRecord({ anything: true });
  // @ts-expect-error a JSON array is not a JSON object record, typed or not
  await untyped.ingestRecord([1, 2]);
  // @ts-expect-error a Map serialises to {} and is refused
  await untyped.ingestRecord(new Map([["a", 1]]));
  // @ts-expect-error a client id needs its secret
  await sdk.createStream("main.iot.readings", "id");
  // @ts-expect-error a row type is for JSON streams
  await sdk.createStream<SensorReading>({ tableName: "main.iot.readings", descriptorProto: TimestampSchema });
  void typedUnacked;
}

/** The constructor's forms: every argument may come from the environment. */
export function constructors(): ZerobusSdk[] {
  return [
    new ZerobusSdk(),
    new ZerobusSdk({ backend: "js" }),
    new ZerobusSdk(undefined, undefined, { backend: "js" }),
    new ZerobusSdk("https://1.zerobus.example.com"),
    new ZerobusSdk("https://1.zerobus.example.com", "https://dbc-1.cloud.databricks.com", { backend: "js" }),
    // pino and bunyan loggers are Loggers; the SDK swaps their arguments so fields arrive (zerobus-sdk tests).
    new ZerobusSdk({ logger: pino() }),
    new ZerobusSdk({ logger: bunyan.createLogger({ name: "app" }) }),
    new ZerobusSdk({ logger: console }),
  ];
}
