import type { HeadersProvider, HeadersReason } from "./headers.js";
import type { Logger } from "./logger.js";
import type { ResolvedStreamOptions } from "./stream-options.js";
import type { WireRequest } from "./wire-request.js";
import type { TableDescriptor, WireRecord } from "./wire-stream.js";
import type { ZerobusError } from "./zerobus-error.js";

/** How a backend reaches the service; built by the SDK from its constructor arguments. */
export interface BackendConfig {
  /** `https://…` (TLS) or `http://…` (plaintext, only with `allowInsecure`). */
  endpoint: string;
  /** Extra CA certificates (PEM) to trust for the gRPC connection. */
  tls?: { ca?: string | Uint8Array };
  allowInsecure: boolean;
  /** Passed to header providers as `HeadersContext.workspaceId`. */
  workspaceId: string;
  /** Added to the user agent. */
  applicationName?: string;
  /** HTTP/2 keepalive ping interval; no pings when undefined. */
  keepaliveMs?: number;
  logger: Logger;
}

/**
 * Behaviours of PROTOCOL.md Part A that a backend cannot give, each with the reason. An empty object means
 * the backend gives every behaviour. The conformance suite asserts each declared gap instead of the
 * behaviour; a gap is a defect to close, not a feature.
 */
export type BackendCapabilities = Readonly<Partial<Record<CapabilityGap, string>>>;

/**
 * The behaviours a backend may declare as missing (named after the conformance tags): only those some
 * backend still cannot give.
 */
export type CapabilityGap = "ackValidation" | "keepalive";

/** The stream a connection serves: the same for every attempt of one stream. */
export interface ConnectTarget {
  readonly table: TableDescriptor;
  readonly options: ResolvedStreamOptions;
  /** Called once per attempt (the Rust core of the native backend may call it more often, see below). */
  readonly headers: HeadersProvider;
}

/** One attempt to connect. */
export interface ConnectAttempt {
  /** Passed to the headers provider: `create`, `recovery` or `unauthenticated` (A.3). */
  readonly reason: HeadersReason;
  /** Abandons the attempt: `connect` then rejects with a `ZerobusError` (`cancelled`, or the reason's). */
  readonly signal: AbortSignal;
}

/**
 * What a connection reports to the stream that took it ({@link Connection.listen}). Each is called
 * synchronously and never after the connection was closed or aborted by the stream.
 */
export interface ConnectionEvents {
  /** The server acknowledged every request up to wire offset `upTo` on this connection (A.2). */
  onAck(upTo: bigint): void;
  /** The server announced it will close this connection in about `durationMs` (A.5). */
  onCloseSignal(durationMs: number): void;
  /** The connection ended or broke; at most once. The stream decides whether to recover (A.3, A.4). */
  onEnd(error: ZerobusError): void;
}

/**
 * One connection attempt that the server answered: the create request was sent and acknowledged with a
 * stream id. The core stream sends its requests on it, in order, and owns everything else (recovery, the
 * ack timeout, the close-signal pause): a connection only carries bytes and reports what came back.
 */
export interface Connection {
  /** The server's id of this stream, known once `connect` resolved (the core stream reads it then). */
  readonly streamId: string | undefined;
  /** Routes this connection's events to `events`, first those that came before the call. */
  listen(events: ConnectionEvents): void;
  /**
   * Sends one request of the engine (its wire offset follows the previous one). Returns `false` when the
   * transport pushes back: send nothing more until {@link whenDrained}'s callback. Throws a
   * `ZerobusError` when the request cannot be sent at all (the connection is then broken).
   */
  send(request: WireRequest): boolean;
  /** Runs `callback` once the transport drained after a `false` from {@link send}. */
  whenDrained(callback: () => void): void;
  /**
   * Leaves the connection. `flushed`: everything sent was acknowledged, so it may end gracefully; else the
   * records it held are the stream's to re-send elsewhere. No event is reported afterwards.
   */
  close(flushed: boolean): Promise<void> | void;
  /** Cuts the connection at once (the backend shuts down). No event is reported afterwards. */
  abort(): void;
  /**
   * Present when the connection keeps the records of every request it was sent until they are
   * acknowledged (the native backend: its copy is the one the Rust core re-sends from). The stream then
   * drops its own copy of a request once sent, so each record is held once, and reads records back from
   * here when it needs them (ARCHITECTURE.md: one copy of each record).
   */
  readonly heldRecords?: HeldRecords;
}

/**
 * The records a connection holds for the stream (see {@link Connection.heldRecords}). The connection lets go
 * of a request's records itself once the stream took its acknowledgement; they stay readable after the
 * connection ended, until {@link releaseAll}.
 */
export interface HeldRecords {
  /**
   * The records of the requests sent with wire offsets `first..last` (inclusive, all sent on this connection
   * and not acknowledged), one array per request, as they were sent. Throws if one is not held.
   */
  readBack(first: number, last: number): WireRecord[][];
  /** Lets go of every record still held (the stream took them back, or no longer needs them). */
  releaseAll(): void;
}

/**
 * A transport: one per SDK instance, it may share channels between its connections. Everything that is the
 * same whatever carries the bytes (the stream, recovery, limits, offsets) is `@zerobus/core`'s; a backend
 * supplies {@link connect}.
 */
export interface Backend {
  readonly name: "js" | "native";
  readonly capabilities: BackendCapabilities;
  /**
   * One attempt: resolves once the server answered the create request, rejects with a `ZerobusError`
   * (retryable or not, per PROTOCOL.md A.3). The attempt's own timeout (`recoveryTimeoutMs`) is the
   * backend's: it covers the headers, the connection and the create response.
   */
  connect(target: ConnectTarget, attempt: ConnectAttempt): Promise<Connection>;
  /** Releases the channels (call once every stream over it is over). */
  close(): Promise<void>;
}

/** What every backend package exports as `createBackend`. */
export type CreateBackend = (config: BackendConfig) => Backend;
