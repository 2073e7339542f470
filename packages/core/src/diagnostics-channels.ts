import type { HeadersReason } from "./headers.js";
import type { StreamState } from "./wire-stream.js";
import type { ZerobusError } from "./zerobus-error.js";

/**
 * The `node:diagnostics_channel` channels every Zerobus stream publishes to, always (a channel without
 * subscribers costs a property read): subscribe with `diagnostics_channel.subscribe(name, listener)`.
 * Messages are plain objects described by {@link DiagnosticsMessages}; they never carry a token or a
 * header value. See the table in `@zerobus/core`'s README.
 *
 * @example
 * ```ts
 * import { subscribe } from "node:diagnostics_channel";
 * import { DiagnosticsChannel, type DiagnosticsMessages } from "@zerobus/core";
 * subscribe(DiagnosticsChannel.ack, (message) => {
 *   const { table, upTo, records } = message as DiagnosticsMessages["zerobus:stream:ack"];
 *   console.log(`${table}: ${records} records acknowledged up to ${upTo}`);
 * });
 * ```
 */
export const DiagnosticsChannel = {
  open: "zerobus:stream:open",
  attempt: "zerobus:stream:attempt",
  headers: "zerobus:stream:headers",
  recovery: "zerobus:stream:recovery",
  closeSignal: "zerobus:stream:close-signal",
  accept: "zerobus:stream:accept",
  refused: "zerobus:stream:refused",
  ack: "zerobus:stream:ack",
  resend: "zerobus:stream:resend",
  state: "zerobus:stream:state",
  flush: "zerobus:stream:flush",
  close: "zerobus:stream:close",
  error: "zerobus:stream:error",
} as const;

/** The name of one {@link DiagnosticsChannel}. */
export type DiagnosticsChannelName = (typeof DiagnosticsChannel)[keyof typeof DiagnosticsChannel];

/** What every message names: the stream's table and backend, and its current server stream id if any. */
export interface DiagnosticsStreamFields {
  /** `catalog.schema.table`. */
  readonly table: string;
  /** `js` or `native`. */
  readonly backend: string;
  /** The server's id of the stream's current (or latest) connection; none before the first one. */
  readonly streamId: string | undefined;
}

/** The message of each channel, by channel name. */
export interface DiagnosticsMessages {
  /** `start` before the first attempt; `end` once created (`streamId`) or failed (`error`). */
  "zerobus:stream:open": DiagnosticsStreamFields &
    ({ readonly phase: "start" } | { readonly phase: "end"; readonly error?: ZerobusError });
  /** One connection attempt; `attempt` counts from 1 within a creation or recovery episode. */
  "zerobus:stream:attempt": DiagnosticsStreamFields & {
    readonly reason: HeadersReason;
    readonly attempt: number;
  } & ({ readonly phase: "start" } | { readonly phase: "end"; readonly error?: ZerobusError });
  /** The headers provider answered (or failed, `error`) for an attempt after `durationMs`. */
  "zerobus:stream:headers": DiagnosticsStreamFields & {
    readonly reason: HeadersReason;
    readonly durationMs: number;
    readonly error?: ZerobusError;
  };
  /** A recovery episode: `start` with the `cause` that broke the connection (none after a close signal); `end` with its outcome. */
  "zerobus:stream:recovery": DiagnosticsStreamFields &
    (
      | { readonly phase: "start"; readonly cause?: ZerobusError }
      | {
          readonly phase: "end";
          readonly outcome: "recovered" | "failed" | "abandoned";
          readonly error?: ZerobusError;
        }
    );
  /** The server will end the connection in about `durationMs`. */
  "zerobus:stream:close-signal": DiagnosticsStreamFields & { readonly durationMs: number };
  /** An ingest call was accepted: `records` records (a batch counts each) of `bytes` payload bytes. */
  "zerobus:stream:accept": DiagnosticsStreamFields & { readonly records: number; readonly bytes: number };
  /** An ingest call was refused with `error`. */
  "zerobus:stream:refused": DiagnosticsStreamFields & { readonly error: ZerobusError };
  /** An acknowledgement covered `records` more records (`bytes` bytes), up to logical offset `upTo`. */
  "zerobus:stream:ack": DiagnosticsStreamFields & {
    readonly upTo: bigint;
    readonly records: number;
    readonly bytes: number;
  };
  /** A new connection re-sends `records` unacknowledged records (`bytes` bytes). */
  "zerobus:stream:resend": DiagnosticsStreamFields & { readonly records: number; readonly bytes: number };
  /** The stream's state changed; `reason` is the error that caused it, if any. */
  "zerobus:stream:state": DiagnosticsStreamFields & {
    readonly state: StreamState;
    readonly reason?: ZerobusError;
  };
  /** `flush()`: `call` numbers the stream's flushes from 1 (they may overlap); `end` has `error` when it rejected. */
  "zerobus:stream:flush": DiagnosticsStreamFields & { readonly call: number } & (
      | { readonly phase: "start" }
      | { readonly phase: "end"; readonly error?: ZerobusError }
    );
  /** `close()`: `start`, then `end` (with `error` when it rejected). */
  "zerobus:stream:close": DiagnosticsStreamFields &
    ({ readonly phase: "start" } | { readonly phase: "end"; readonly error?: ZerobusError });
  /** The stream failed for good with `error`. */
  "zerobus:stream:error": DiagnosticsStreamFields & { readonly error: ZerobusError };
}
