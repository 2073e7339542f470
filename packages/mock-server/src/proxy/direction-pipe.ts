import type { Socket } from "node:net";
import type { FaultDirection } from "./fault-plan.js";

/** What a pipe asks its connection before and after forwarding. */
export interface PipeGate {
  /** True while nothing may be forwarded (a stall, a cut). */
  readonly held: boolean;
  /** How many more bytes `direction` may forward before a fault is due (`Infinity`: no limit). */
  allowance(direction: FaultDirection): number;
  /** Reports bytes just handed to the destination; the connection may stall or cut in response. */
  forwarded(direction: FaultDirection, bytes: number): void;
}

/** Latency and rate limit of one direction (0 and `undefined`: none). */
export interface PipeShaping {
  readonly delayMs: number;
  readonly bytesPerSecond: number | undefined;
}

// The proxy stops reading a sender once this much waits in a pipe (behind a delay, a throttle or a slow
// reader), so TCP pushes back on the sender instead of the proxy buffering without bound.
const HIGH_WATER_BYTES = 1024 * 1024;
// A throttled pipe sends slices of 1/20 s worth of bytes, so its rate holds over any window ≥ 50 ms.
const THROTTLE_SLICES_PER_SECOND = 20;

/** One direction of a proxied connection: what `source` sends is written to `destination`, in order. */
export class DirectionPipe {
  readonly #queue: { bytes: Buffer; readyAt: number }[] = [];
  #queuedBytes = 0;
  #sourceEnded = false;
  #endSent = false;
  #stopped = false;
  #awaitingDrain = false;
  #nextSendAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #unwritten = 0;
  readonly #writtenWaiters: (() => void)[] = [];
  readonly #slice: number;

  readonly #source: Socket;
  readonly #destination: Socket;
  readonly #shaping: PipeShaping;
  readonly #gate: PipeGate;

  constructor(
    readonly direction: FaultDirection,
    source: Socket,
    destination: Socket,
    shaping: PipeShaping,
    gate: PipeGate,
  ) {
    this.#source = source;
    this.#destination = destination;
    this.#shaping = shaping;
    this.#gate = gate;
    const rate = shaping.bytesPerSecond;
    this.#slice = rate === undefined ? Infinity : Math.max(1, Math.floor(rate / THROTTLE_SLICES_PER_SECOND));
    source.on("data", (chunk: Buffer) => this.#receive(chunk));
    source.on("end", () => {
      this.#sourceEnded = true;
      this.pump();
    });
  }

  /** Forwards whatever the gate, the delay and the rate allow now, and schedules the rest. */
  pump(): void {
    while (!this.#stopped && !this.#awaitingDrain && !this.#gate.held && this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const wait = Math.max(head.readyAt, this.#nextSendAt) - performance.now();
      if (wait > 0) {
        this.#wakeIn(wait);
        break;
      }
      const size = Math.min(head.bytes.length, this.#slice, this.#gate.allowance(this.direction));
      // No allowance left: the fault it counts towards fires on connect (a threshold of 0 bytes).
      if (size <= 0) break;
      this.#forward(head.bytes.subarray(0, size));
      if (size === head.bytes.length) this.#queue.shift();
      else head.bytes = head.bytes.subarray(size);
      this.#queuedBytes -= size;
      this.#gate.forwarded(this.direction, size);
    }
    // A half-close is forwarded like data: after everything before it, and not during a stall.
    if (
      this.#sourceEnded &&
      this.#queue.length === 0 &&
      !this.#endSent &&
      !this.#stopped &&
      !this.#gate.held
    ) {
      this.#endSent = true;
      this.#destination.end();
    }
    this.#steerSource();
  }

  /** Stops forwarding for good (a cut, a close): queued bytes are dropped, later ones are read and dropped. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#steerSource();
  }

  /** Resolves once every forwarded byte was handed to the kernel (or its socket failed). */
  whenWritten(): Promise<void> {
    if (this.#unwritten === 0) return Promise.resolve();
    return new Promise((resolve) => this.#writtenWaiters.push(resolve));
  }

  #receive(chunk: Buffer): void {
    if (this.#stopped) return;
    this.#queue.push({ bytes: chunk, readyAt: performance.now() + this.#shaping.delayMs });
    this.#queuedBytes += chunk.length;
    this.pump();
  }

  #forward(bytes: Buffer): void {
    const rate = this.#shaping.bytesPerSecond;
    if (rate !== undefined) {
      this.#nextSendAt = Math.max(performance.now(), this.#nextSendAt) + (bytes.length / rate) * 1000;
    }
    this.#unwritten++;
    const flowing = this.#destination.write(bytes, () => {
      if (--this.#unwritten === 0) for (const resolve of this.#writtenWaiters.splice(0)) resolve();
    });
    if (!flowing) {
      this.#awaitingDrain = true;
      this.#destination.once("drain", () => {
        this.#awaitingDrain = false;
        this.pump();
      });
    }
  }

  #wakeIn(ms: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.pump();
    }, ms);
    // The sockets keep the process alive while they are open; a pending delay must not on its own.
    this.#timer.unref();
  }

  /** Reads from the source only while its bytes can go somewhere (or, once stopped, to drain and drop them). */
  #steerSource(): void {
    const hold = !this.#stopped && (this.#gate.held || this.#queuedBytes >= HIGH_WATER_BYTES);
    if (hold) this.#source.pause();
    else this.#source.resume();
  }
}
