import type { MockChecks } from "./grpc/server-context.js";
import type { TokenEndpointOptions } from "./oauth/token-endpoint.js";
import type { TableDeclaration } from "./schema/table-declaration.js";
import type { AckPolicy } from "./script/ack-policy.js";

/** The service's per-message limit: 10 MiB (PROTOCOL.md A.10). */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Options of `createMockServer`; every one has a default. */
export interface MockServerOptions {
  /** Serve gRPC over TLS with a CA and a loopback certificate generated at start (default false). */
  tls?: boolean;
  /** Address to bind (default `"127.0.0.1"`). */
  host?: string;
  /** gRPC port (default 0: a free port). */
  port?: number;
  /** OAuth token endpoint port (default 0: a free port). */
  tokenPort?: number;
  /**
   * Accept any `Bearer` token instead of only unexpired tokens this server issued for the table (default
   * false). For clients that use a static token.
   */
  acceptAnyToken?: boolean;
  /** The ack policy of tables without their own (default `"immediate"`). */
  ackPolicy?: AckPolicy;
  /** Requests larger than this end the stream with RESOURCE_EXHAUSTED (default 10 MiB). */
  maxMessageBytes?: number;
  /** Turn individual checks off (all on by default). */
  checks?: Partial<MockChecks>;
  /**
   * Keep every accepted request and record (default true). `false` keeps only the counts, for long or heavy
   * runs (a benchmark); `records`, `requests` and the assertion helpers then see nothing.
   */
  keepRecords?: boolean;
  /** Called with one line per stream created or ended (never a token or a secret); for logs and CLIs. */
  log?: (line: string) => void;
  /**
   * Tables the server knows, by three-part name: their columns or row descriptor (a descriptor stands for
   * the columns its fields map to). JSON records and decoded proto rows are checked against the columns, and
   * a PROTO stream's descriptor at create; a record or descriptor that does not fit ends its stream with
   * INVALID_ARGUMENT naming the column and the record. A bad declaration makes `createMockServer` throw a
   * `TypeError` naming the table and the column. Kept by `reset()`.
   */
  tables?: Readonly<Record<string, TableDeclaration>>;
  /**
   * What a stream for a table that was not declared gets: `"refuse"` answers NOT_FOUND as the service does,
   * `"accept"` takes any table. Default: `"accept"` when `tables` is not given (the behaviour before tables
   * could be declared), `"refuse"` when it is. Fixed when the server is created: `server.declareTable` on a
   * server that accepts undeclared tables adds checks for that table only, and other tables stay accepted
   * (pass `undeclaredTables: "refuse"`, with or without `tables`, to refuse every table not declared).
   */
  undeclaredTables?: "accept" | "refuse";
  /** Client credentials, required workspace id and token lifetime of the OAuth endpoint. */
  oauth?: TokenEndpointOptions;
}
