import { connect, type Socket } from "node:net";
import { type ByteThreshold, ByteThresholds, countOf } from "./byte-thresholds.js";
import type { ConnectionCloser, ConnectionLog } from "./connection-log.js";
import { DirectionPipe, type PipeGate, type PipeShaping } from "./direction-pipe.js";
import type { CutHow, FaultDirection, FaultPlan } from "./fault-plan.js";
import type { ProxyTarget } from "./proxy-target.js";

// A reset waits for the bytes before the cut to reach the kernel (destroying drops unwritten ones), but not
// for a peer that stopped reading.
const RESET_FLUSH_LIMIT_MS = 1000;

/** One accepted client socket, its socket to the target, and the plan's faults between them. */
export class ProxiedConnection implements PipeGate {
  /** Resolves once both sockets closed. */
  readonly closed: Promise<void>;
  readonly #log: ConnectionLog;
  readonly #client: Socket;
  readonly #server: Socket;
  readonly #up: DirectionPipe;
  readonly #down: DirectionPipe;
  readonly #thresholds: ByteThresholds;
  #stalled = false;
  #stallTimer: NodeJS.Timeout | undefined;
  #cut = false;
  #closer: ConnectionCloser | undefined;
  #error: string | undefined;
  #resetLimit: NodeJS.Timeout | undefined;

  constructor(client: Socket, target: ProxyTarget, log: ConnectionLog) {
    const plan = log.plan;
    this.#log = log;
    this.#client = client;
    this.#server = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    // A cut due with a stall wins: listed first, it fires first.
    const thresholds: ByteThreshold[] = [];
    const { cut, stall } = plan;
    if (cut) {
      const direction = cut.direction ?? "either";
      const fire = () => this.cut(cut.how ?? "reset", direction);
      thresholds.push({ afterBytes: cut.afterBytes, direction, fire });
    }
    if (stall) {
      const direction = stall.direction ?? "either";
      thresholds.push({ afterBytes: stall.afterBytes ?? 0, direction, fire: () => this.stall(stall.ms) });
    }
    this.#thresholds = new ByteThresholds(thresholds);
    this.#up = new DirectionPipe("up", client, this.#server, shapingOf(plan, "up"), this);
    this.#down = new DirectionPipe("down", this.#server, client, shapingOf(plan, "down"), this);
    // Faults due after 0 bytes start once the target accepted, so they act on a real connection.
    this.#server.once("connect", () => this.#thresholds.check(log));
    this.#watch(client, "client", this.#server);
    this.#watch(this.#server, "server", client);
    this.closed = Promise.all([closedOf(client), closedOf(this.#server)]).then(() => this.#finish());
  }

  get held(): boolean {
    return this.#stalled || this.#cut;
  }

  allowance(direction: FaultDirection): number {
    return this.#thresholds.allowance(direction, this.#log);
  }

  forwarded(direction: FaultDirection, bytes: number): void {
    this.#log.forwarded(direction, bytes);
    this.#thresholds.check(this.#log);
  }

  /** Stops forwarding both ways for `ms` from now (`Infinity`: until `resume`); false if it is cut or closed. */
  stall(ms: number): boolean {
    if (this.#cut || !this.#log.open) return false;
    clearTimeout(this.#stallTimer);
    this.#stalled = true;
    this.#log.add({ type: "stalled", ms });
    if (Number.isFinite(ms)) {
      this.#stallTimer = setTimeout(() => this.resume(), ms);
      this.#stallTimer.unref();
    }
    return true;
  }

  /** Ends a stall: what was held is forwarded in order. False if it was not stalled. */
  resume(): boolean {
    if (!this.#stalled || this.#cut) return false;
    clearTimeout(this.#stallTimer);
    this.#stalled = false;
    this.#log.add({ type: "resumed" });
    this.#up.pump();
    this.#down.pump();
    return true;
  }

  /**
   * Cuts both sockets, RST or FIN; nothing more is forwarded. `direction` is the count the cut event reports.
   * False if it was already cut or closed.
   */
  cut(how: CutHow, direction: FaultDirection | "either"): boolean {
    if (this.#cut || !this.#log.open) return false;
    this.#cut = true;
    this.#closer ??= "proxy";
    clearTimeout(this.#stallTimer);
    this.#log.add({ type: "cut", how, direction, afterBytes: countOf(direction, this.#log) });
    this.#up.stop();
    this.#down.stop();
    if (how === "fin") {
      for (const socket of [this.#client, this.#server]) socket.end(() => socket.destroy());
      return true;
    }
    void Promise.race([
      Promise.all([this.#up.whenWritten(), this.#down.whenWritten()]),
      new Promise((resolve) => {
        this.#resetLimit = setTimeout(resolve, RESET_FLUSH_LIMIT_MS);
        this.#resetLimit.unref();
      }),
    ]).then(() => {
      clearTimeout(this.#resetLimit);
      resetSocket(this.#client);
      resetSocket(this.#server);
    });
    return true;
  }

  /** Destroys both sockets at once (the proxy is closing). */
  destroy(): void {
    this.#closer ??= "proxy";
    this.#up.stop();
    this.#down.stop();
    this.#client.destroy();
    this.#server.destroy();
  }

  /** Notes who started closing, and passes a reset on to the other peer as a reset. */
  #watch(socket: Socket, side: ConnectionCloser, other: Socket): void {
    socket.on("end", () => {
      this.#closer ??= side;
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.#closer ??= side;
      this.#error ??= error.code ?? error.message;
      resetSocket(other);
    });
  }

  #finish(): void {
    clearTimeout(this.#stallTimer);
    clearTimeout(this.#resetLimit);
    this.#up.stop();
    this.#down.stop();
    const error = this.#error === undefined ? {} : { error: this.#error };
    this.#log.add({ type: "closed", by: this.#closer ?? "proxy", ...error });
  }
}

/**
 * Resets `socket` (RST), or closes it if it already sent or queued its FIN: libuv refuses to reset a socket
 * with a shutdown pending (EINVAL), and Node then drops the handle without closing it, so it never emits
 * 'close'. That happened when a FIN held by a stall went to one peer in the turn a write to the other
 * failed (peer-close.test.ts): the connection stayed open and `close()` never resolved.
 */
function resetSocket(socket: Socket): void {
  if (socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * Resolves once `socket` closed, or once a reset of it failed: Node emits no 'close' after that, and
 * waiting for one would hang `close()`.
 */
function closedOf(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.once("close", () => resolve());
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.syscall === "reset") resolve();
    });
  });
}

function shapingOf(plan: FaultPlan, direction: FaultDirection): PipeShaping {
  const applies = (fault: { direction?: FaultDirection | "both" } | undefined) =>
    fault !== undefined && (fault.direction ?? "both") !== (direction === "up" ? "down" : "up");
  return {
    delayMs: applies(plan.delay) ? (plan.delay?.ms ?? 0) : 0,
    bytesPerSecond: applies(plan.throttle) ? plan.throttle?.bytesPerSecond : undefined,
  };
}
