/**
 * The recorder's instruments (README "Observability" has the same table, with attributes): name, unit
 * (UCUM, as OpenTelemetry asks: `s`, `By`, `{record}`) and description. The names are public: renaming one
 * breaks users' dashboards.
 */
export const INSTRUMENTS = {
  recordsAccepted: {
    name: "zerobus.records.accepted",
    unit: "{record}",
    description: "Records accepted by ingest calls",
  },
  bytesAccepted: {
    name: "zerobus.bytes.accepted",
    unit: "By",
    description: "Payload bytes accepted by ingest calls",
  },
  recordsAcknowledged: {
    name: "zerobus.records.acknowledged",
    unit: "{record}",
    description: "Records the server acknowledged",
  },
  bytesAcknowledged: {
    name: "zerobus.bytes.acknowledged",
    unit: "By",
    description: "Payload bytes the server acknowledged",
  },
  recordsResent: {
    name: "zerobus.records.resent",
    unit: "{record}",
    description: "Unacknowledged records re-sent on a new connection",
  },
  bytesResent: {
    name: "zerobus.bytes.resent",
    unit: "By",
    description: "Payload bytes re-sent on a new connection",
  },
  refusals: { name: "zerobus.refusals", unit: "{call}", description: "Ingest calls refused, by error.type" },
  recordsInFlight: {
    name: "zerobus.records.in_flight",
    unit: "{record}",
    description: "Records accepted and not yet acknowledged (open streams)",
  },
  bytesInFlight: {
    name: "zerobus.bytes.in_flight",
    unit: "By",
    description: "Payload bytes accepted and not yet acknowledged (open streams)",
  },
  streams: {
    name: "zerobus.streams",
    unit: "{stream}",
    description: "Streams neither closed nor failed, by zerobus.stream.state",
  },
  ackDuration: {
    name: "zerobus.ack.duration",
    unit: "s",
    description: "From acceptance of the oldest record an acknowledgement covers to that acknowledgement",
  },
  connectionAttempts: {
    name: "zerobus.connection.attempts",
    unit: "{attempt}",
    description: "Connection attempts, by zerobus.connection.reason",
  },
  recoveries: {
    name: "zerobus.recoveries",
    unit: "{recovery}",
    description: "Recovery episodes, by zerobus.recovery.outcome",
  },
  closeSignals: {
    name: "zerobus.close_signals",
    unit: "{signal}",
    description: "Close signals received from the server",
  },
  tokenFetches: {
    name: "zerobus.token.fetches",
    unit: "{fetch}",
    description: "Calls of the headers provider (token fetches)",
  },
  tokenFetchDuration: {
    name: "zerobus.token.fetch.duration",
    unit: "s",
    description: "Time the headers provider took",
  },
  errors: {
    name: "zerobus.errors",
    unit: "{error}",
    description: "Streams that failed for good, by error.type",
  },
} as const;

/**
 * Buckets of the latency histograms, in seconds: acks of a healthy stream land within milliseconds to a
 * second; a recovery or a server close signal can hold them back for tens of seconds (recoveryTimeoutMs
 * is 15 s per attempt). The SDK's default buckets (0 to 10 000) are for milliseconds.
 */
export const LATENCY_BUCKETS_S = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];
