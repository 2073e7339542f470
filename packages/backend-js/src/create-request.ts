import { create, toBinary } from "@bufbuild/protobuf";
import type { SupportedRecordType, TableDescriptor } from "@zerobus/core";
import { RecordType } from "@zerobus/core";
import { EphemeralStreamRequestSchema } from "@zerobus/proto";

/**
 * Encodes the `create_stream` request that opens every connection (once per connection, so protobuf-es
 * is fast enough). The descriptor goes only on Proto streams (PROTOCOL.md B §4.3); `record_type` is
 * always set.
 */
export function encodeCreateRequest(table: TableDescriptor, recordType: SupportedRecordType): Buffer {
  const descriptor = recordType === RecordType.Proto ? table.descriptorProto : undefined;
  const message = create(EphemeralStreamRequestSchema, {
    payload: {
      case: "createStream",
      value: {
        tableName: table.tableName,
        recordType,
        ...(descriptor === undefined ? {} : { descriptorProto: descriptor }),
      },
    },
  });
  const bytes = toBinary(EphemeralStreamRequestSchema, message);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
