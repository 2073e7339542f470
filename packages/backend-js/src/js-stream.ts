import type {
  HeadersReason,
  Logger,
  OpenStreamContext,
  ResolvedStreamOptions,
  StreamEvents,
} from "@zerobus/core";
import { ZerobusError } from "@zerobus/core";
import type { StreamHost } from "@zerobus/core/internal";
import { EngineBackedStream, MAX_TIMER_MS, StreamEngine } from "@zerobus/core/internal";
import type { Connection, ConnectionListener } from "./connection.js";
import type { Dial } from "./dial.js";
import { encodeIngestRequest } from "./request-encoder.js";
import type { ServerMessage } from "./response-decoder.js";
import type { RetryEpisode } from "./retry-episode.js";
import { connectWithRetries, newEpisode } from "./retry-episode.js";

/** What a stream needs from its backend. */
export interface JsStreamContext extends StreamHost<JsStream> {
  readonly tableName: string;
  readonly dial: Dial;
}

/**
 * A stream of backend-js: the shared {@link StreamEngine} for records, offsets and waiters, driven over
 * grpc-js connections. This class is the supervisor of PROTOCOL.md Part A: it sends the engine's requests
 * (respecting write backpressure), validates acks (A.2), runs the lack-of-ack timer (A.6), pauses on a
 * close signal (A.5), recovers with re-send (A.4) and fails terminally (A.7, A.8).
 */
export class JsStream extends EngineBackedStream<JsStream> implements ConnectionListener {
  readonly #context: JsStreamContext;
  /** Aborted when the stream is over: stops any reconnection in progress. */
  #connection: Connection | undefined;
  #streamId: string | undefined;
  /** The recovery still waiting for its first ack on the current connection (A.4). */
  #unconfirmed: RetryEpisode | undefined;
  /**
   * A recovery that had nothing to re-send, which A.4 counts as successful at once, and until when its
   * connection is still on probation: should it drop before an ack or before `recoveryBackoffMs` passed,
   * the next recovery goes on with the same retry budget and backoff instead of a fresh one, so a server
   * that accepts and drops an idle stream cannot cause an endless storm of reconnections either.
   */
  #probation: { episode: RetryEpisode; until: number } | undefined;
  #paused = false;
  /** When the current connection was created (A.4: one that lived long enough reconnects at once). */
  #connectedAt = 0;
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;
  #ackTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pump = (): void => this.#send();
  readonly #drained = (): void => {
    this.engine.setSendBlocked(false);
    this.#send();
  };

  private constructor(context: JsStreamContext, engine: StreamEngine, events: StreamEvents | undefined) {
    super(context.tableName, engine, context, events);
    this.#context = context;
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
    const connection = await connectWithRetries(context.dial, newEpisode(), engine.options, "create", signal);
    stream.#install(connection);
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

  #install(connection: Connection): void {
    this.engine.requeueSent();
    this.engine.noteConnection();
    this.#connectedAt = performance.now();
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
    if (this.#unconfirmed !== undefined) this.#recovered();
    this.#probation = undefined;
    if (this.engine.hasSentUnacked) {
      if (!this.#paused) this.#ackTimer?.refresh();
    } else {
      this.#clearAckTimer();
      if (this.#paused) this.#reconnect(undefined);
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
      this.#reconnect(undefined);
      return;
    }
    this.#pauseTimer = setTimeout(() => this.#reconnect(undefined), waitMs);
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

  /**
   * Drops the current connection (if any) and its timers; sending is no longer blocked by it. Returns
   * whether the connection lived at least `recoveryBackoffMs` (then a recovery may reconnect at once).
   */
  #teardown(): boolean {
    const livedLong = performance.now() - this.#connectedAt >= this.engine.options.recoveryBackoffMs;
    this.#dropConnection();
    this.engine.setSendBlocked(false);
    return livedLong;
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

  /** The connection failed with `error`: recover when allowed (A.3, A.4), else fail for good. */
  #break(error: ZerobusError): void {
    const livedLong = this.#teardown();
    const state = this.engine.state;
    if (state === "closed" || state === "failed") return;
    const options = this.engine.options;
    const unauthenticated = error.code === "unauthenticated";
    const episode = this.#currentEpisode();
    const recoverable = error.retryable || (unauthenticated && !episode.refreshUsed);
    // A.4: a connection that broke before its first ack used up an attempt of the same recovery.
    const exhausted = episode.attempts >= 1 + options.recoveryRetries;
    if (!options.recovery || !recoverable || exhausted) {
      this.fail(error);
      return;
    }
    if (unauthenticated) episode.refreshUsed = true;
    this.#recover(episode, unauthenticated ? "unauthenticated" : "recovery", error, livedLong);
  }

  /** Leaves the current connection on purpose (end of a close-signal pause) and reconnects. */
  #reconnect(reason: ZerobusError | undefined): void {
    const livedLong = this.#teardown();
    this.#recover(this.#currentEpisode(), "recovery", reason, livedLong);
  }

  /** The retry budget a new recovery spends: the one not yet confirmed, or on probation, else a fresh one. */
  #currentEpisode(): RetryEpisode {
    const probation = this.#probation;
    const episode =
      this.#unconfirmed ??
      (probation !== undefined && performance.now() < probation.until ? probation.episode : newEpisode());
    this.#unconfirmed = undefined;
    this.#probation = undefined;
    return episode;
  }

  #recover(
    episode: RetryEpisode,
    reason: HeadersReason,
    cause: ZerobusError | undefined,
    firstImmediate: boolean,
  ): void {
    this.engine.requeueSent();
    if (this.engine.state !== "closing") this.engine.setState("recovering", cause);
    const { dial } = this.#context;
    const signal = this.lifetime.signal;
    connectWithRetries(dial, episode, this.engine.options, reason, signal, firstImmediate).then(
      (connection) => {
        const state = this.engine.state;
        if (state === "closed" || state === "failed") {
          connection.close();
          return;
        }
        const somethingUnacked = this.engine.hasQueued;
        this.#install(connection);
        // A.4: with records to re-send, success waits for an ack on the new connection.
        if (somethingUnacked) {
          this.#unconfirmed = episode;
          return;
        }
        this.#recovered();
        this.#probation = { episode, until: performance.now() + this.engine.options.recoveryBackoffMs };
      },
      (error: unknown) => this.fail(ZerobusError.from(error)),
    );
  }

  #recovered(): void {
    this.#unconfirmed = undefined;
    this.engine.noteRecovery();
    // A close signal may have paused the new connection before its first ack: still paused, not open.
    if (this.engine.state !== "closing" && !this.#paused) this.engine.setState("open");
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
