import type { LiveConnection } from "./grpc/mock-connection.js";
import type { TokenEndpoint } from "./oauth/token-endpoint.js";
import type { IssuedToken, TokenFilter } from "./oauth/token-store.js";
import type { RecordedConnection } from "./recording/recorded-types.js";
import type { TableRecording } from "./recording/table-recording.js";
import type { TableDeclaration } from "./schema/table-declaration.js";
import type { AckPolicy } from "./script/ack-policy.js";
import type { ScriptHandle } from "./script/script-cursor.js";
import type { ScriptOptions, ScriptStep } from "./script/script-step.js";
import type { StatusSpec } from "./status.js";

/** A running mock Zerobus server: gRPC service, OAuth token endpoint, recordings and controls. */
export interface MockServer {
  /**
   * The Zerobus endpoint to give clients: `http://127.0.0.1:<port>`, or with TLS `https://localhost:<port>`
   * (on the default host: a TLS server name must not be an IP, Node warns with DEP0123).
   */
  readonly endpoint: string;
  /** `host:port` of the gRPC server, the target a grpc-js client takes. */
  readonly address: string;
  readonly port: number;
  /** The workspace URL (OAuth): `http://127.0.0.1:<tokenPort>`. */
  readonly workspaceUrl: string;
  /** `workspaceUrl` + `/oidc/v1/token`. */
  readonly tokenUrl: string;
  /** With TLS, the CA certificate (PEM) clients must trust. */
  readonly ca: string | undefined;
  /** The client credentials the token endpoint accepts. */
  readonly credentials: { readonly clientId: string; readonly clientSecret: string };
  /** The token endpoint: its request log, script, issued tokens. */
  readonly oauth: TokenEndpoint;
  /** Recordings of every table seen (or asked for with `table`). */
  readonly tables: ReadonlyMap<string, TableRecording>;
  /** Every connection, in arrival order, including ones that never named a table. */
  readonly connections: readonly RecordedConnection[];

  /** The recording of a table (created empty if the table was not seen yet, so tests can wait on it). */
  table(name: string): TableRecording;
  /** Live streams, of one table or all. */
  live(table?: string): LiveConnection[];
  /**
   * Declares a table (or replaces its declaration): streams opened from now on check their records against
   * it. Throws a `TypeError` naming the table, the column and what is wrong (an unknown type, say). Does not
   * change what undeclared tables get (the `undeclaredTables` option); `reset()` forgets it.
   *
   * @example
   * ```ts
   * server.declareTable("main.app.events", { columns: { device: "STRING NOT NULL", temperature: "DOUBLE" } });
   * ```
   */
  declareTable(name: string, declaration: TableDeclaration): void;
  /** Installs a script for a table, replacing its previous one. */
  script(table: string, steps: readonly ScriptStep[], options?: ScriptOptions): ScriptHandle;
  /** Sets the ack policy of one table, or the server default when `table` is undefined. */
  setAckPolicy(table: string | undefined, policy: AckPolicy): void;
  /** Sends the withheld acks of live streams (of one table or all); returns how many streams it touched. */
  releaseAcks(table?: string): number;
  /** Ends live streams (of one table or all) with a status (default OK); returns how many. */
  endConnections(table?: string, status?: StatusSpec): number;
  /** Destroys the transport connections under live streams (of one table or all); returns how many streams. */
  dropConnections(table?: string): number;
  /** Issues a token without OAuth, valid for `table` (or any table when undefined). */
  issueToken(table?: string, options?: { ttlSeconds?: number }): IssuedToken;
  /** Request headers for a table with a freshly issued token: `authorization` and the table header. */
  headers(table: string, options?: { ttlSeconds?: number }): Record<string, string>;
  /** Revokes tokens (all by default); their live streams end with UNAUTHENTICATED. Returns the count. */
  revokeTokens(filter?: TokenFilter): number;
  /** Expires tokens now (all by default); their live streams end with UNAUTHENTICATED. Returns the count. */
  expireTokens(filter?: TokenFilter): number;
  /**
   * Forgets every table, script and ack policy, the token endpoint's log and script, and the connection
   * list; live streams end with UNAVAILABLE first. Issued tokens stay valid. Declared tables go back to
   * those of the `tables` option: tables declared with `declareTable` are forgotten (and an option's table
   * redeclared with it gets its option declaration back).
   */
  reset(): void;
  /** Stops both servers; live streams are dropped. */
  close(): Promise<void>;
  /** `close()`, for `await using server = await createMockServer()`. */
  [Symbol.asyncDispose](): Promise<void>;
}
