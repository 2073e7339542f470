/** Which way bytes flow through the proxy: `"up"` client → server, `"down"` server → client. */
export type FaultDirection = "up" | "down";

/** How a connection is cut: `"reset"` sends RST to both peers, `"fin"` closes both cleanly. */
export type CutHow = "reset" | "fin";

/**
 * Cut the connection once `afterBytes` bytes were forwarded in `direction` (`"either"`: both directions
 * together). Exactly those bytes reach the other side, nothing after them.
 */
export interface CutFault {
  afterBytes: number;
  /** Default `"either"`. */
  direction?: FaultDirection | "either";
  /** Default `"reset"`. */
  how?: CutHow;
}

/**
 * Stop forwarding both ways for `ms` (`Infinity`: until `resumeAll()`) once `afterBytes` bytes were forwarded
 * in `direction`. Both sockets stay open and nothing is lost: what arrives meanwhile is held (and the proxy
 * stops reading, so TCP pushes back on the senders), then forwarded in order.
 */
export interface StallFault {
  ms: number;
  /** Default 0: the stall starts as soon as the proxy reached the server. */
  afterBytes?: number;
  /** Default `"either"`. */
  direction?: FaultDirection | "either";
}

/** Add `ms` of latency to every chunk in `direction` (default `"both"`); order is kept. */
export interface DelayFault {
  ms: number;
  direction?: FaultDirection | "both";
}

/** Forward at most `bytesPerSecond` in `direction` (default `"both"`; each direction gets that rate). */
export interface ThrottleFault {
  bytesPerSecond: number;
  direction?: FaultDirection | "both";
}

/**
 * What the proxy does to one TCP connection. `{}` forwards faithfully; the faults combine (a throttled,
 * delayed connection that is cut after 1 MB up), except `refuse`, which stands alone: the connection is
 * reset at once and the server never sees it.
 */
export interface FaultPlan {
  refuse?: true | undefined;
  cut?: CutFault | undefined;
  stall?: StallFault | undefined;
  delay?: DelayFault | undefined;
  throttle?: ThrottleFault | undefined;
}
