/**
 * Attribute names of the OpenTelemetry recorder: OpenTelemetry's semantic conventions where one exists
 * (`error.type`, `server.*`), `zerobus.*` otherwise. Every one on a metric takes a bounded set of values;
 * the stream id (new on every recovery) is on spans only.
 */
export const ATTR_ERROR_TYPE = "error.type";
export const ATTR_SERVER_ADDRESS = "server.address";
export const ATTR_SERVER_PORT = "server.port";
export const ATTR_TABLE = "zerobus.table";
export const ATTR_BACKEND = "zerobus.backend";
export const ATTR_RECORD_TYPE = "zerobus.record_type";
export const ATTR_STREAM_STATE = "zerobus.stream.state";
export const ATTR_CONNECTION_REASON = "zerobus.connection.reason";
export const ATTR_CONNECTION_ATTEMPT = "zerobus.connection.attempt";
export const ATTR_CONNECTION_OUTCOME = "zerobus.connection.outcome";
export const ATTR_RECOVERY_OUTCOME = "zerobus.recovery.outcome";
export const ATTR_RECOVERY_CAUSE = "zerobus.recovery.cause";
/** Spans only. */
export const ATTR_STREAM_ID = "zerobus.stream.id";
/** Spans only: records re-sent by a recovery. */
export const ATTR_RECORDS_RESENT = "zerobus.records.resent";
