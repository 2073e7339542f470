import type { JsonValue } from "@bufbuild/protobuf";
import type { DescriptorProto } from "@bufbuild/protobuf/wkt";
import type { EphemeralStreamResponse } from "@zerobus/proto";
import type { ResolvedStatus } from "../status.js";

/** One record as the server received it. `value` is the parsed JSON, or the decoded message as proto JSON. */
export type RecordedRecord =
  | { kind: "json"; json: string; value: JsonValue }
  | { kind: "proto"; bytes: Uint8Array; value: JsonValue };

/** One request after the create, in arrival order. */
export interface RecordedRequest {
  /** Id of the connection it arrived on. */
  connectionId: number;
  /** Its wire offset (`offset_id`); `undefined` when the client left it out. */
  offset: bigint | undefined;
  /** `record` for `ingest_record`, `batch` for `ingest_record_batch`. */
  kind: "record" | "batch";
  /** Its records, decoded. Empty for a refused request the server could not decode. */
  records: RecordedRecord[];
  /** Size of the whole encoded request message. */
  bytes: number;
  /** `Date.now()` when it arrived. */
  receivedAt: number;
  /** Set when the server refused the request (and ended the stream with this status). */
  refused?: ResolvedStatus;
  /**
   * Set when a script step with an `at` trigger ended the stream on this request: it passed the checks but
   * was never acknowledged, and its records are not counted as received by the table (a client must
   * re-send them).
   */
  uncommitted?: true;
}

/** How a connection ended. */
export type ConnectionEnd =
  /** The server ended it with a status (OK included): a check, a script step, a token expiry. */
  | { by: "server"; code: number; details: string }
  /** The client cancelled the call, or half-closed it (the server then ended it with OK). */
  | { by: "client"; how: "cancelled" | "half-closed" }
  /** The transport connection was destroyed (a `drop` step, `connection.drop()`, or `server.close()`). */
  | { by: "transport"; how: "dropped" };

/** A response the server sent: a message, or raw bytes from a `send`/`unknownPayload` step. */
export type SentResponse = EphemeralStreamResponse | Uint8Array;

/** Everything about one `EphemeralStream` call. */
export interface RecordedConnection {
  /** Server-wide sequence number, from 1. */
  readonly id: number;
  /** Request metadata (keys lower-case; binary `-bin` values base64). */
  readonly metadata: Readonly<Record<string, string>>;
  /** `host:port` of the client. */
  readonly peer: string;
  readonly openedAt: number;
  /** The table named by the create request, once it arrived. */
  readonly table: string | undefined;
  /** The stream id the server answered with, if the create succeeded. */
  readonly streamId: string | undefined;
  readonly recordType: "json" | "proto" | undefined;
  /** The decoded descriptor of a PROTO stream. */
  readonly descriptor: DescriptorProto | undefined;
  /** Requests after the create, in order (refused and uncommitted ones included, flagged). */
  readonly requests: readonly RecordedRequest[];
  /** Records accepted on this connection (not those of refused or uncommitted requests). */
  readonly recordCount: number;
  /** Highest wire offset accepted; -1n before any. */
  readonly maxOffset: bigint;
  /** Ack offsets sent, in order (malformed ones included). */
  readonly acks: readonly bigint[];
  /** Every response sent, in order. */
  readonly responses: readonly SentResponse[];
  /** How it ended; `undefined` while it is live. */
  readonly end: ConnectionEnd | undefined;
  readonly endedAt: number | undefined;
  /** Resolves when the connection ends. */
  readonly ended: Promise<ConnectionEnd>;
}
