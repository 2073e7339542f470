import type { TokenStore } from "../oauth/token-store.js";
import type { DeclaredTables } from "../schema/declared-tables.js";
import type { AckPolicy } from "../script/ack-policy.js";
import type { TableState } from "./table-state.js";

/** Which of the real server's checks are on (all by default). */
export interface MockChecks {
  /** `x-databricks-zerobus-table-name` must equal the created table. */
  tableHeader: boolean;
  /** `offset_id` must be present and run 0, 1, 2… per connection. */
  offsets: boolean;
  /** JSON records must parse as objects; proto records must decode with the descriptor. */
  records: boolean;
}

/** What a connection needs from the server that owns it. */
export interface ServerContext {
  readonly acceptAnyToken: boolean;
  readonly maxMessageBytes: number;
  readonly checks: MockChecks;
  readonly tokens: TokenStore;
  /** The declared tables, and what undeclared ones get. */
  readonly declaredTables: DeclaredTables;
  /** Whether accepted requests and records are kept, or only counted. */
  readonly keepRecords: boolean;
  /** One line per connection event; never given a token or a secret. */
  log(line: string): void;
  defaultAckPolicy(): AckPolicy;
  /** The state of a table, created on first use. */
  table(name: string): TableState;
  /**
   * Destroys the transport connection of the client at `peer` (every stream sharing it goes too). Returns
   * false when the server holds no socket for that peer, so the caller ends its stream another way.
   */
  dropTransport(peer: string): boolean;
  /** Forgets the connection with this id, which ended. */
  connectionEnded(id: number): void;
}
