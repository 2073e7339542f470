import type { Connection, ConnectionEvents } from "../../backend.js";
import { MAX_TIMER_MS } from "../../stream-options.js";
import { ZerobusError } from "../../zerobus-error.js";
import type { StreamEngine } from "../stream-engine.js";

/** What a live connection tells the stream it serves. */
export interface LiveConnectionHost {
  /** An ack advanced on this connection (A.4: a recovery waiting for one succeeded). */
  progressed(): void;
  /** This connection broke with `error` (it is already torn down): recover or fail (A.3, A.4). */
  broke(error: ZerobusError): void;
  /** A close-signal pause ended (A.5): this connection is left on purpose and a new one is wanted. */
  leave(): void;
  /** The server sent a close signal (A.5), whatever the stream does about it (the observer hears of it). */
  closeSignal(durationMs: number): void;
}

/**
 * One connection while a stream uses it: the transport-independent part of PROTOCOL.md Part A that lives
 * and dies with a connection. It sends the engine's requests in order while the transport takes them
 * (write backpressure), hands acks to the engine (which validates them, A.2), times the lack of acks
 * (A.6) and pauses on a close signal until the sent records are acknowledged or the pause ends (A.5).
 */
export class LiveConnection implements ConnectionEvents {
  readonly connection: Connection;
  readonly #engine: StreamEngine;
  readonly #host: LiveConnectionHost;
  #over = false;
  #paused = false;
  /** The transport pushed back: nothing is taken from the engine until it drained. */
  #blocked = false;
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pump = (): void => this.#send();
  readonly #drained = (): void => {
    this.#blocked = false;
    this.#engine.setSendBlocked(false);
    this.#send();
  };

  constructor(connection: Connection, engine: StreamEngine, host: LiveConnectionHost) {
    this.connection = connection;
    this.#engine = engine;
    this.#host = host;
    connection.listen(this);
    engine.setWakeHandler(this.#pump);
    // On a microtask, after the messages that came with the create response (listen() delivers them on
    // one queued first): a close signal among them must pause us before anything is sent (A.5).
    queueMicrotask(this.#pump);
  }

  // ---- ConnectionEvents ---------------------------------------------------------------------------------

  onAck(upTo: bigint): void {
    if (this.#over) return;
    const error = this.#engine.acknowledge(upTo);
    if (error !== undefined) {
      this.#break(error);
      return;
    }
    this.#host.progressed();
    if (this.#engine.hasSentUnacked) {
      if (!this.#paused) this.#ackTimer?.refresh();
    } else {
      this.#clearAckTimer();
      if (this.#paused) this.#leave();
    }
  }

  onCloseSignal(durationMs: number): void {
    if (this.#over) return;
    this.#host.closeSignal(durationMs);
    const engine = this.#engine;
    // With recovery off the signal is ignored; the server's eventual end is then a failure (B §1.6).
    if (this.#over || !engine.options.recovery || this.#paused) return;
    const limit = engine.options.streamPausedMaxWaitTimeMs;
    // The server's duration is not bounded like the option: a timer past MAX_TIMER_MS would fire at once.
    const waitMs = Math.min(limit ?? durationMs, durationMs, MAX_TIMER_MS);
    this.#paused = true;
    this.#clearAckTimer();
    if (engine.state !== "closing") engine.setState("paused");
    if (waitMs === 0 || !engine.hasSentUnacked) {
      this.#leave();
      return;
    }
    this.#pauseTimer = setTimeout(() => this.#leave(), waitMs);
  }

  onEnd(error: ZerobusError): void {
    if (!this.#over) this.#break(error);
  }

  // ---- the stream's side --------------------------------------------------------------------------------

  /**
   * Stops using the connection: timers cleared, no more sending, no event handled. `flushed` tells the
   * connection whether everything was acknowledged (a graceful end). Returns what its close returned.
   */
  release(flushed: boolean): Promise<void> | void {
    if (this.#over) return;
    this.#stop();
    return this.connection.close(flushed);
  }

  /** Cuts the connection at once (the backend shuts down). */
  abort(): void {
    if (this.#over) return;
    this.#stop();
    this.connection.abort();
  }

  // ---- internals ----------------------------------------------------------------------------------------

  /** Sends queued requests until none is left, the transport pushes back, or a close signal paused us. */
  #send(): void {
    const connection = this.connection;
    const engine = this.#engine;
    if (this.#over || this.#paused || this.#blocked) return;
    for (let request = engine.nextRequest(); request !== undefined; request = engine.nextRequest()) {
      // A.6: the ack clock starts when something is in flight and nothing was before.
      if (this.#ackTimer === undefined) this.#armAckTimer();
      let more: boolean;
      try {
        more = connection.send(request);
      } catch (error) {
        this.#break(ZerobusError.from(error));
        return;
      }
      const held = connection.heldRecords;
      if (held !== undefined) engine.holdSent(request, held);
      if (!more) {
        this.#blocked = true;
        engine.setSendBlocked(true);
        connection.whenDrained(this.#drained);
        return;
      }
    }
  }

  #armAckTimer(): void {
    const timeoutMs = this.#engine.options.serverLackOfAckTimeoutMs;
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = undefined;
      this.#break(
        new ZerobusError(
          "ack_timeout",
          `no acknowledgement from the server for ${timeoutMs} ms with records in flight`,
        ),
      );
    }, timeoutMs);
  }

  #clearAckTimer(): void {
    if (this.#ackTimer !== undefined) clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
  }

  #stop(): void {
    this.#over = true;
    // Before anything else reads the engine: the records this connection holds come back.
    this.#engine.restoreHeld();
    this.#clearAckTimer();
    if (this.#pauseTimer !== undefined) clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    this.#engine.setWakeHandler(undefined);
  }

  /** The connection broke: let go of it (its transport no longer blocks sending) and tell the stream. */
  #break(error: ZerobusError): void {
    this.release(false);
    this.#engine.setSendBlocked(false);
    this.#host.broke(error);
  }

  /** The end of a close-signal pause: leave the connection and ask for a new one. */
  #leave(): void {
    this.release(false);
    this.#engine.setSendBlocked(false);
    this.#host.leave();
  }
}
