import type { CutHow, FaultDirection, FaultPlan } from "./fault-plan.js";

/** Who started closing a connection: a peer (FIN or RST), or the proxy (a fault, `cutAll`, `close()`). */
export type ConnectionCloser = "client" | "server" | "proxy";

/** Something that happened to a connection; `at` is ms since the proxy started (`performance.now()`). */
export type FaultProxyEvent =
  | { type: "opened"; at: number }
  | { type: "refused"; at: number }
  | { type: "stalled"; at: number; ms: number }
  | { type: "resumed"; at: number }
  | {
      type: "cut";
      at: number;
      how: CutHow;
      /** The byte count that triggered it (`"either"` for `cutAll`). */
      direction: FaultDirection | "either";
      /** Bytes forwarded in that direction when it was cut. */
      afterBytes: number;
    }
  | {
      type: "closed";
      at: number;
      by: ConnectionCloser;
      /** The socket error that ended it (`ECONNRESET`, `ECONNREFUSED` from the target…), if any. */
      error?: string;
    };

/** What the proxy did with one accepted TCP connection. Live: it changes while the connection is open. */
export interface FaultProxyConnection {
  /** 0 for the first connection the proxy accepted, and so on (its place in `proxy.connections`). */
  readonly index: number;
  /** The plan it got (from the queue, `refuseNext`, or the default). */
  readonly plan: FaultPlan;
  /** Bytes forwarded client → server and server → client (raw TCP: TLS and HTTP/2 framing included). */
  readonly bytesUp: number;
  readonly bytesDown: number;
  readonly events: readonly FaultProxyEvent[];
  /** False once both sockets closed (the last event is then `closed`). */
  readonly open: boolean;
}

type EventInit = FaultProxyEvent extends infer Event
  ? Event extends FaultProxyEvent
    ? Omit<Event, "at">
    : never
  : never;

/** The proxy's writable side of a `FaultProxyConnection`; every change wakes the proxy's `waitFor`s. */
export class ConnectionLog implements FaultProxyConnection {
  readonly events: FaultProxyEvent[] = [];
  bytesUp = 0;
  bytesDown = 0;
  open = true;
  readonly #since: () => number;
  readonly #changed: () => void;

  constructor(
    readonly index: number,
    readonly plan: FaultPlan,
    since: () => number,
    changed: () => void,
  ) {
    this.#since = since;
    this.#changed = changed;
  }

  add(event: EventInit): void {
    this.events.push({ ...event, at: this.#since() } as FaultProxyEvent);
    if (event.type === "closed") this.open = false;
    this.#changed();
  }

  forwarded(direction: FaultDirection, bytes: number): void {
    if (direction === "up") this.bytesUp += bytes;
    else this.bytesDown += bytes;
    this.#changed();
  }
}
