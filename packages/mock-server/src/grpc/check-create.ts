import { isFieldSet } from "@bufbuild/protobuf";
import { type CreateIngestStreamRequest, CreateIngestStreamRequestSchema, RecordType } from "@zerobus/proto";
import { type RowMessage, rowMessageFromDescriptor } from "../descriptor/row-message.js";
import { invalidArgument, type ResolvedStatus } from "../status.js";

/** The header that names the table on every Zerobus call. */
export const TABLE_NAME_HEADER = "x-databricks-zerobus-table-name";

/** What a valid create request establishes for the stream. */
export interface CreatedStream {
  table: string;
  recordType: "json" | "proto";
  row: RowMessage | undefined;
}

const invalid = invalidArgument;

/**
 * The checks a real server makes on `create_stream` besides authentication: a three-part table name, equal
 * to the table header when `checkTableHeader`; a record type that is set and not UNSPECIFIED; for PROTO a
 * descriptor that decodes as a self-contained `DescriptorProto`. Returns the stream, or the status to end with.
 */
export function checkCreate(
  create: CreateIngestStreamRequest,
  headerTable: string | undefined,
  checkTableHeader: boolean,
): CreatedStream | ResolvedStatus {
  const table = create.tableName ?? "";
  const parts = table.split(".");
  if (parts.length !== 3 || parts.some((part) => part.trim() === "")) {
    return invalid(`table_name "${table}" must be a three-part name catalog.schema.table`);
  }
  if (checkTableHeader && headerTable !== table) {
    return invalid(
      headerTable === undefined
        ? `missing ${TABLE_NAME_HEADER} header`
        : `${TABLE_NAME_HEADER} header "${headerTable}" does not match table_name "${table}"`,
    );
  }
  // proto2 presence: an absent record_type reads as UNSPECIFIED.
  if (!isFieldSet(create, CreateIngestStreamRequestSchema.field.recordType))
    return invalid("record_type is required");
  if (create.recordType === RecordType.RECORD_TYPE_UNSPECIFIED)
    return invalid("record_type must be PROTO or JSON");
  if (create.recordType === RecordType.JSON) return { table, recordType: "json", row: undefined };
  if (create.recordType !== RecordType.PROTO) return invalid(`unknown record_type ${create.recordType}`);
  if (!create.descriptorProto || create.descriptorProto.length === 0) {
    return invalid("Proto descriptor is required for PROTO record type");
  }
  try {
    return { table, recordType: "proto", row: rowMessageFromDescriptor(create.descriptorProto) };
  } catch (error) {
    return invalid((error as Error).message);
  }
}

/** Whether a check result is a status to end the stream with. */
export function isStatus(value: object): value is ResolvedStatus {
  return "code" in value;
}
