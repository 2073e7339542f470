import type { RecordedConnection, RecordedRecord, RecordedRequest } from "../recording/recorded-types.js";
import type { TableRecording } from "../recording/table-recording.js";

/**
 * JSON shapes of the recordings, for clients in any language: offsets (int64) as decimal strings, proto
 * bytes as base64, times as `Date.now()` milliseconds. Metadata is the recording's copy, whose
 * `authorization` is already redacted.
 */

/** One connection: who opened it, what it carried, the acks sent and how it ended (`end: null` while live). */
export function connectionJson(connection: RecordedConnection) {
  return {
    id: connection.id,
    table: connection.table ?? null,
    streamId: connection.streamId ?? null,
    recordType: connection.recordType ?? null,
    peer: connection.peer,
    metadata: connection.metadata,
    openedAt: connection.openedAt,
    live: connection.end === undefined,
    end: connection.end ?? null,
    endedAt: connection.endedAt ?? null,
    recordCount: connection.recordCount,
    maxOffset: connection.maxOffset.toString(),
    acks: connection.acks.map((ack) => ack.toString()),
    requests: connection.requests.map(requestJson),
  };
}

function requestJson(request: RecordedRequest) {
  return {
    offset: request.offset?.toString() ?? null,
    kind: request.kind,
    records: request.records.length,
    bytes: request.bytes,
    receivedAt: request.receivedAt,
    ...(request.refused ? { refused: request.refused } : {}),
    ...(request.uncommitted ? { uncommitted: true } : {}),
  };
}

/** A table at a glance: counts and every connection (`GET /tables/{name}`). */
export function tableSummaryJson(table: TableRecording) {
  return {
    name: table.name,
    recordCount: table.recordCount,
    requestCount: table.requests.length,
    duplicates: table.duplicates(),
    connections: table.connections.map(connectionJson),
  };
}

/** One received record: its JSON text or its bytes, and its value (parsed JSON, or proto JSON). */
export function recordJson(record: RecordedRecord) {
  return record.kind === "json"
    ? { kind: "json" as const, json: record.json, value: record.value }
    : { kind: "proto" as const, bytes: Buffer.from(record.bytes).toString("base64"), value: record.value };
}
