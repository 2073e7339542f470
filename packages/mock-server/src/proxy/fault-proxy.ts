import type { WaitOptions } from "../recording/table-recording.js";
import type { FaultProxyConnection } from "./connection-log.js";
import type { CutHow, FaultPlan } from "./fault-plan.js";

/** Options of `createFaultProxy`. */
export interface FaultProxyOptions {
  /**
   * Where to forward: `host:port`, or a URL (`http://127.0.0.1:1234`, `https://…`) whose host and port are
   * used. The proxy forwards raw TCP, so TLS passes through untouched.
   */
  target: string;
  /** Address to listen on (default `"127.0.0.1"`). */
  host?: string;
  /** Port to listen on (default 0: a free port). */
  port?: number;
  /** The plan of connections that find the queue empty (default `{}`: forward faithfully). */
  defaultPlan?: FaultPlan;
}

/** A running fault-injecting TCP proxy. */
export interface FaultProxy {
  /** Where it listens. */
  readonly host: string;
  readonly port: number;
  /** `host:port`, the target for a grpc-js client. */
  readonly address: string;
  /** `http://host:port`, or `https://…` when the target was an `https://` URL: give it to clients. */
  readonly endpoint: string;
  /** Every accepted connection, in order, live. */
  readonly connections: readonly FaultProxyConnection[];

  /** Queues plans for the next connections, one each, in order (after those already queued). */
  plan(...plans: FaultPlan[]): void;
  /** Refuses the next `count` connections (before any queued plan): reset at once, the target never sees them. */
  refuseNext(count: number): void;
  /** Sets the plan of connections that find the queue empty. */
  setDefault(plan: FaultPlan): void;
  /** Cuts every open connection now (RST by default); returns how many. */
  cutAll(options?: { how?: CutHow }): number;
  /** Stalls every open connection now for `ms` (`Infinity`: until `resumeAll()`); returns how many. */
  stallAll(ms: number): number;
  /** Ends every stall now; what was held is forwarded in order. Returns how many connections resumed. */
  resumeAll(): number;
  /** Resolves once `predicate` holds (checked on every event and forwarded chunk); rejects after `timeoutMs` (5000). */
  waitFor(predicate: (proxy: FaultProxy) => boolean, options?: WaitOptions): Promise<void>;
  /** Stops listening and destroys every socket; resolves once all closed. Idempotent. */
  close(): Promise<void>;
  /** `close()`, for `await using proxy = await createFaultProxy(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
}
