/**
 * The few parts of the official Databricks SDK's native addon (`@databricks/zerobus-ingest-sdk-<triple>`,
 * version 1.3.0) that the memory workload uses, described from what the addon exports at run time. The
 * addon always speaks TLS; it trusts the CA file named by `SSL_CERT_FILE`.
 */

/** How the stream's records are encoded (the addon's `RecordType` object). */
export interface OfficialRecordTypes {
  readonly Json: number;
  readonly Proto: number;
}

/** The stream settings the workload sets (all optional; the addon has defaults). */
export interface OfficialStreamOptions {
  /** `RecordType.Json` or `RecordType.Proto`. */
  recordType?: number;
  /** How many ingest calls (a batch counts once) may wait unacknowledged before the next ingest waits. */
  maxInflightRequests?: number;
  recovery?: boolean;
  serverLackOfAckTimeoutMs?: number;
  flushTimeoutMs?: number;
}

/** Supplies the headers of the stream's first request, as name/value pairs. */
export interface OfficialHeadersProvider {
  getHeadersCallback: () => [string, string][];
}

/** An open stream of the official addon. */
export interface OfficialStream {
  /** Queues one record; resolves with its offset once queued (not once acknowledged). */
  ingestRecordOffset(record: string): Promise<bigint | null>;
  /** Queues one batch; resolves with its offset once queued (not once acknowledged). */
  ingestRecordsOffset(records: string[]): Promise<bigint | null>;
  /** Resolves once everything queued so far is acknowledged. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The addon's SDK object: one endpoint, streams to tables. */
export interface OfficialSdk {
  /** Opens a stream; with a headers provider the two OAuth credentials are ignored. */
  createStream(
    table: { tableName: string },
    clientId: string,
    clientSecret: string,
    options?: OfficialStreamOptions,
    headersProvider?: OfficialHeadersProvider,
  ): Promise<OfficialStream>;
}

/** The addon's exports that the workload uses. */
export interface OfficialBinary {
  readonly RecordType: OfficialRecordTypes;
  readonly ZerobusSdk: new (endpoint: string, unityCatalogUrl: string) => OfficialSdk;
}
