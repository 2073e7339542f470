import type { JsonValue } from "@bufbuild/protobuf";
import type { IngestRecordBatchRequest, IngestRecordRequest } from "@zerobus/proto";
import { decodeRow } from "../descriptor/decode-row.js";
import type { RowMessage } from "../descriptor/row-message.js";
import type { RecordedRecord } from "../recording/recorded-types.js";
import { GrpcStatusCode, type ResolvedStatus } from "../status.js";

/** What the checks of one ingest request need to know about the stream. */
export interface IngestContext {
  recordType: "json" | "proto";
  row: RowMessage | undefined;
  /** Whether to parse JSON records and decode proto records. */
  checkRecords: boolean;
}

const invalid = (details: string): ResolvedStatus => ({ code: GrpcStatusCode.INVALID_ARGUMENT, details });

/**
 * Decodes the records of an `ingest_record` or `ingest_record_batch` request and checks each: the kind
 * matches the stream's record type, a batch is not empty, a JSON record is a JSON object, a proto record
 * decodes with the stream's descriptor. Returns the records, or the INVALID_ARGUMENT status to end with.
 */
export function checkIngest(
  request:
    | { case: "ingestRecord"; value: IngestRecordRequest }
    | { case: "ingestRecordBatch"; value: IngestRecordBatchRequest },
  context: IngestContext,
): RecordedRecord[] | ResolvedStatus {
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
  for (const [index, text] of (json ?? []).entries()) {
    const value = context.checkRecords ? parseJsonObject(text) : null;
    if (typeof value === "string") return invalid(`record ${index}: ${value}`);
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
