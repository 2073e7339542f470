import { isFieldSet, type JsonValue } from "@bufbuild/protobuf";
import {
  type IngestRecordBatchRequest,
  IngestRecordBatchRequestSchema,
  type IngestRecordRequest,
  IngestRecordRequestSchema,
} from "@zerobus/proto";
import { decodeRow } from "../descriptor/decode-row.js";
import type { RowMessage } from "../descriptor/row-message.js";
import type { RecordedRecord } from "../recording/recorded-types.js";
import { checkRow } from "../schema/check-row.js";
import type { TableSchema } from "../schema/table-schema.js";
import { invalidArgument, type ResolvedStatus } from "../status.js";

/** What the checks of one ingest request need to know about the stream. */
export interface IngestContext {
  recordType: "json" | "proto";
  row: RowMessage | undefined;
  /** Whether `offset_id` must be present and equal `expectedOffset`. */
  checkOffsets: boolean;
  expectedOffset: bigint;
  /** Whether to parse JSON records and decode proto records. */
  checkRecords: boolean;
  /** The table's declared columns: each parsed or decoded record is checked against them. */
  schema: TableSchema | undefined;
}

/** An ingest request, as the `payload` oneof of a stream request carries it. */
export type IngestPayload =
  | { case: "ingestRecord"; value: IngestRecordRequest }
  | { case: "ingestRecordBatch"; value: IngestRecordBatchRequest };

/** The request's `offset_id`, or undefined when it was not on the wire (proto2 presence: it would read 0n). */
export function wireOffset(request: IngestPayload): bigint | undefined {
  const field =
    request.case === "ingestRecord"
      ? IngestRecordRequestSchema.field.offsetId
      : IngestRecordBatchRequestSchema.field.offsetId;
  return isFieldSet(request.value, field) ? request.value.offsetId : undefined;
}

const invalid = invalidArgument;

/**
 * Checks an `ingest_record` or `ingest_record_batch` request and decodes its records: the wire offset runs
 * 0, 1, 2… per connection, the kind matches the stream's record type, a batch is not empty, a JSON record is
 * a JSON object, a proto record decodes with the stream's descriptor, and on a declared table every record
 * fits the columns. Returns the records, or the INVALID_ARGUMENT status to end the stream with.
 */
export function checkIngest(
  request: IngestPayload,
  context: IngestContext,
): RecordedRecord[] | ResolvedStatus {
  const offset = wireOffset(request);
  if (context.checkOffsets && offset === undefined) return invalid("offset_id is required");
  if (context.checkOffsets && offset !== context.expectedOffset) {
    return invalid(`Non-incremental offset: expected ${context.expectedOffset}, actual ${offset}`);
  }
  let json: string[] | undefined;
  let proto: Uint8Array[] | undefined;
  if (request.case === "ingestRecord") {
    const record = request.value.record;
    if (record.case === "jsonRecord") json = [record.value];
    else if (record.case === "protoEncodedRecord") proto = [record.value];
    else return invalid("ingest_record carries no record");
  } else {
    const batch = request.value.batch;
    if (batch.case === "jsonBatch") json = batch.value.records;
    else if (batch.case === "protoEncodedBatch") proto = batch.value.records;
    else return invalid("ingest_record_batch carries no batch");
    if ((json ?? proto ?? []).length === 0) return invalid("ingest_record_batch has no records");
  }
  if (json && context.recordType !== "json") return invalid("JSON records sent on a PROTO stream");
  if (proto && context.recordType !== "proto") return invalid("proto records sent on a JSON stream");
  const records: RecordedRecord[] = [];
  const misfit = (index: number, value: JsonValue, fromProto: boolean) => {
    if (!context.schema || value === null || typeof value !== "object" || Array.isArray(value)) return;
    const problem = checkRow(context.schema, fromProto ? withEmptyLists(context.schema, value) : value);
    return problem && invalid(`record ${index} of offset ${offset ?? context.expectedOffset}: ${problem}`);
  };
  for (const [index, text] of (json ?? []).entries()) {
    const value = context.checkRecords ? parseJsonObject(text) : null;
    if (typeof value === "string") return invalid(`record ${index}: ${value}`);
    const refused = value && misfit(index, value.object, false);
    if (refused) return refused;
    records.push({ kind: "json", json: text, value: value?.object ?? null });
  }
  for (const [index, bytes] of (proto ?? []).entries()) {
    let value: JsonValue = null;
    if (context.checkRecords && context.row) {
      try {
        value = decodeRow(context.row.message, bytes);
      } catch (error) {
        return invalid(
          `record ${index} does not decode as ${context.row.message.typeName}: ${(error as Error).message}`,
        );
      }
      const refused = misfit(index, value, true);
      if (refused) return refused;
    }
    records.push({ kind: "proto", bytes, value });
  }
  return records;
}

/** The parsed object, or a message saying why the text is not one JSON object. */
function parseJsonObject(text: string): { object: JsonValue } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return `a JSON record must be an object, got ${Array.isArray(value) ? "an array" : String(value === null ? "null" : typeof value)}`;
  }
  return { object: value as JsonValue };
}

/**
 * A decoded proto row with its absent ARRAY and MAP columns as empty ones: on the wire an empty repeated
 * or map field is absent, so absence is no null there (a NOT NULL array column may be empty).
 */
function withEmptyLists(
  schema: TableSchema,
  row: { [key: string]: JsonValue },
): { [key: string]: JsonValue } {
  const filled = { ...row };
  for (const column of schema.columns) {
    if (column.name in filled) continue;
    if (column.type.kind === "array") filled[column.name] = [];
    else if (column.type.kind === "map") filled[column.name] = {};
  }
  return filled;
}
