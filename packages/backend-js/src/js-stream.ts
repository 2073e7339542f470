import type { Logger, OpenStreamContext, ResolvedStreamOptions, StreamEvents } from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import type { Dial, StreamHost } from "@zerobus/core/internal";
import { EngineBackedStream, MAX_TIMER_MS, StreamEngine, StreamRecovery } from "@zerobus/core/internal";
import type { Connection, ConnectionListener } from "./connection.js";
import { encodeIngestRequest } from "./request-encoder.js";
import type { ServerMessage } from "./response-decoder.js";

/** What a stream needs from its backend. */
export interface JsStreamContext extends StreamHost<JsStream> {
  readonly tableName: string;
  readonly dial: Dial<Connection>;
}

/**
 * A stream of backend-js: the shared {@link StreamEngine} for records, offsets and waiters, driven over
 * grpc-js connections. It does what is gRPC-specific in PROTOCOL.md Part A: it sends the engine's requests
 * (respecting write backpressure), validates acks (A.2), runs the lack-of-ack timer (A.6) and pauses on a
 * close signal (A.5); core's {@link StreamRecovery} decides whether a dropped connection recovers, with
 * which budget, and when that recovery succeeded (A.3, A.4), and connects again (with re-send).
 */
export class JsStream extends EngineBackedStream<JsStream> implements ConnectionListener {
  readonly #recovery: StreamRecovery<Connection>;
  #connection: Connection | undefined;
  #streamId: string | undefined;
  #paused = false;
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pump = (): void => this.#send();
  readonly #drained = (): void => {
    this.engine.setSendBlocked(false);
    this.#send();
  };

  private constructor(context: JsStreamContext, engine: StreamEngine, events: StreamEvents | undefined) {
    super(context.tableName, engine, context, events);
    this.#recovery = new StreamRecovery(engine, this.lifetime.signal, {
      dial: context.dial,
      install: (connection) => this.#install(connection),
      fail: (error) => this.fail(error),
    });
  }

  /**
   * Connects (with retries per the options) and resolves once the server created the stream; seeded
   * records (recreation) are sent first.
   */
  static async open(
    context: JsStreamContext,
    options: ResolvedStreamOptions,
    open: OpenStreamContext,
    logger: Logger,
  ): Promise<JsStream> {
    const engine = new StreamEngine({ options, events: open.events, logger, seed: open.seed });
    const stream = new JsStream(context, engine, open.events);
    const signal = open.signal
      ? AbortSignal.any([open.signal, stream.lifetime.signal])
      : stream.lifetime.signal;
    await stream.#recovery.open(signal);
    return stream;
  }

  // ---- BackendStream ----------------------------------------------------------------------------------

  get streamId(): string | undefined {
    return this.#streamId;
  }

  /** Ends the stream at once without flushing (the backend shuts down): pending calls reject. */
  abort(error: ZerobusError): void {
    if (this.engine.state === "closed" || this.engine.failure !== undefined) return;
    const connection = this.#connection;
    this.fail(error);
    connection?.cancel();
  }

  // ---- ConnectionListener -----------------------------------------------------------------------------

  onMessage(connection: Connection, message: ServerMessage): void {
    if (connection !== this.#connection) return;
    switch (message.kind) {
      case "ack":
        this.#onAck(message.upTo);
        return;
      case "closeSignal":
        this.#onCloseSignal(message.durationMs);
        return;
      case "created":
        this.#break(new ZerobusError("protocol_error", "the server sent a second create response"));
        return;
      default:
        this.#break(new ZerobusError("protocol_error", message.reason));
    }
  }

  onEnd(connection: Connection, error: ZerobusError): void {
    if (connection === this.#connection) this.#break(error);
  }

  // ---- internals --------------------------------------------------------------------------------------

  /** Takes a connection from {@link StreamRecovery} (creation or recovery). */
  #install(connection: Connection): void {
    this.#connection = connection;
    this.#streamId = connection.streamId;
    connection.listen(this);
    this.engine.setWakeHandler(this.#pump);
    // On a microtask, after the messages that came with the create response (listen() delivers them on
    // one queued first): a close signal among them must pause us before anything is sent (A.5).
    queueMicrotask(this.#pump);
  }

  /** Sends queued requests until none is left, the connection pushes back, or a close signal paused us. */
  #send(): void {
    const connection = this.#connection;
    if (connection === undefined || this.#paused || connection.blocked) return;
    const recordType = this.recordType;
    for (
      let request = this.engine.nextRequest();
      request !== undefined;
      request = this.engine.nextRequest()
    ) {
      // A.6: the ack clock starts when something is in flight and nothing was before.
      if (this.#ackTimer === undefined) this.#armAckTimer();
      if (!connection.write(encodeIngestRequest(request, recordType))) {
        this.engine.setSendBlocked(true);
        connection.whenDrained(this.#drained);
        return;
      }
    }
  }

  #onAck(upTo: bigint | undefined): void {
    if (upTo === undefined) {
      this.#break(
        new ZerobusError("protocol_error", "the server sent an ack without durability_ack_up_to_offset"),
      );
      return;
    }
    const error = this.engine.acknowledge(upTo);
    if (error !== undefined) {
      this.#break(error);
      return;
    }
    this.#recovery.onProgress();
    if (this.engine.hasSentUnacked) {
      if (!this.#paused) this.#ackTimer?.refresh();
    } else {
      this.#clearAckTimer();
      if (this.#paused) this.#reconnect();
    }
  }

  #onCloseSignal(durationMs: number): void {
    // With recovery off the signal is ignored; the server's eventual end is then a failure (B §1.6).
    if (!this.engine.options.recovery || this.#paused) return;
    const limit = this.engine.options.streamPausedMaxWaitTimeMs;
    // The server's duration is not bounded like the option: a timer past MAX_TIMER_MS would fire at once.
    const waitMs = Math.min(limit ?? durationMs, durationMs, MAX_TIMER_MS);
    this.#paused = true;
    this.#clearAckTimer();
    if (this.engine.state !== "closing") this.engine.setState("paused");
    if (waitMs === 0 || !this.engine.hasSentUnacked) {
      this.#reconnect();
      return;
    }
    this.#pauseTimer = setTimeout(() => this.#reconnect(), waitMs);
  }

  #armAckTimer(): void {
    const timeoutMs = this.engine.options.serverLackOfAckTimeoutMs;
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

  /** Drops the current connection (if any) and its timers; sending is no longer blocked by it. */
  #teardown(): void {
    this.#dropConnection();
    this.engine.setSendBlocked(false);
  }

  #dropConnection(): void {
    this.#clearAckTimer();
    if (this.#pauseTimer !== undefined) clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    this.#paused = false;
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.close();
  }

  /** The connection failed with `error`: recovery decides whether the stream recovers or fails (A.3, A.4). */
  #break(error: ZerobusError): void {
    this.#teardown();
    this.#recovery.onBreak(error);
  }

  /** Leaves the current connection on purpose (end of a close-signal pause) and reconnects. */
  #reconnect(): void {
    this.#teardown();
    this.#recovery.reconnect();
  }

  protected override onFailure(): void {
    // Not #teardown(): the engine's failure, which follows, unblocks sending itself and rejects the
    // calls that waited for the transport to drain, instead of resolving them with offsets.
    this.#dropConnection();
  }

  protected releaseConnection(): void {
    this.#teardown();
  }
}
