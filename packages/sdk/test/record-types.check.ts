/**
 * Compile-time checks of the typed overloads (run by `pnpm typecheck`, never executed): the compiler must
 * refuse a Proto message on a JSON stream, bytes on a JSON stream, and JSON on a Proto stream.
 */
import { create } from "@bufbuild/protobuf";
import { DurationSchema, TimestampSchema } from "@bufbuild/protobuf/wkt";
import type { ZerobusSdk } from "../src/index.js";

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
