import type { HeadersReason } from "../../headers.js";
import { ZerobusError } from "../../zerobus-error.js";
import type { RecoveryOutcome } from "../observe/stream-observer.js";
import type { StreamEngine } from "../stream-engine.js";
import type { Dial } from "./connect-with-retries.js";
import { connectWithRetries } from "./connect-with-retries.js";
import type { RetryEpisode } from "./retry-episode.js";
import { attemptsAllowed, newEpisode } from "./retry-episode.js";

/** What a stream's recovery needs from the stream: how to connect, take a connection, and fail. */
export interface RecoveryHost<C> {
  /** One connection attempt (retried here per PROTOCOL.md A.4). */
  readonly dial: Dial<C>;
  /**
   * Takes a connection the server created (the engine already moved its sent-unacked requests back to the
   * front): send the engine's requests on it, report its acks, close signals and failures.
   */
  install(connection: C): void;
  /** Fails the stream for good (A.7): waiting calls reject, unacked records stay retrievable. */
  fail(error: ZerobusError): void;
}

/**
 * The recovery decisions of one stream (PROTOCOL.md A.3, A.4), whatever carries its bytes: when a broken
 * connection recovers or fails the stream, which retry budget a recovery spends, whether its first attempt
 * goes at once, and when it counts as successful. A backend's stream tells it when a connection broke
 * ({@link onBreak}), was left on purpose ({@link reconnect}) or made progress ({@link onProgress}); it
 * connects with retries and hands each new connection back through {@link RecoveryHost.install}.
 *
 * @typeParam C - a backend's connection; one that the server created after the stream ended is closed.
 *
 * @example
 * ```ts
 * const recovery = new StreamRecovery(engine, lifetime.signal, { dial, install, fail });
 * await recovery.open(signal); // creation
 * // on an ack that advanced: recovery.onProgress(); on a dropped connection: recovery.onBreak(error)
 * ```
 */
export class StreamRecovery<C extends { close(flushed: boolean): unknown }> {
  readonly #engine: StreamEngine;
  /** The stream's lifetime: aborted when it is over, it stops any reconnection in progress. */
  readonly #lifetime: AbortSignal;
  readonly #host: RecoveryHost<C>;
  /** The recovery still waiting for its first ack on the current connection (A.4). */
  #unconfirmed: RetryEpisode | undefined;
  /** The episode the observer was told started (`recoveryStarted`) and not yet ended. */
  #reported: RetryEpisode | undefined;
  /**
   * A recovery that had nothing to re-send, which A.4 counts as successful at once, and until when its
   * connection is still on probation: should it drop before an ack or before `recoveryBackoffMs` passed,
   * the next recovery goes on with the same retry budget and backoff instead of a fresh one, so a server
   * that accepts and drops an idle stream cannot cause an endless storm of reconnections either.
   */
  #probation: { episode: RetryEpisode; until: number } | undefined;
  /** When the current connection was created (A.4: one that lived long enough reconnects at once). */
  #connectedAt = 0;

  constructor(engine: StreamEngine, lifetime: AbortSignal, host: RecoveryHost<C>) {
    this.#engine = engine;
    this.#lifetime = lifetime;
    this.#host = host;
  }

  /**
   * Creates the stream's first connection (a fresh budget, the first attempt at once) and installs it.
   * Rejects with the last attempt's error, or `signal`'s: the stream is not failed, its opener reports it.
   */
  async open(signal: AbortSignal): Promise<void> {
    const engine = this.#engine;
    const connection = await connectWithRetries(
      this.#host.dial,
      newEpisode(),
      engine.options,
      "create",
      signal,
    );
    this.#install(connection);
  }

  /**
   * The stream is over (closed, failed or aborted): a recovery episode still open ends `abandoned`, unless
   * the recovery itself failed the stream (it told the observer `failed` first).
   */
  streamEnded(): void {
    this.#endEpisode("abandoned");
  }

  /** An ack advanced on the current connection: a recovery waiting for one succeeded, the budget is whole. */
  onProgress(): void {
    if (this.#unconfirmed !== undefined) this.#recovered();
    this.#probation = undefined;
  }

  /**
   * The current connection failed with `error` (the stream already let go of it): recover when allowed
   * (A.3, A.4), else fail the stream for good.
   */
  onBreak(error: ZerobusError): void {
    const firstImmediate = this.#livedLong();
    const engine = this.#engine;
    if (engine.state === "closed" || engine.state === "failed") return;
    const unauthenticated = error.code === "unauthenticated";
    const episode = this.#currentEpisode();
    const recoverable = error.retryable || (unauthenticated && !episode.refreshUsed);
    // A.4: a connection that broke before its first ack used up an attempt of the same recovery.
    const exhausted = episode.attempts >= attemptsAllowed(engine.options);
    if (!engine.options.recovery || !recoverable || exhausted) {
      this.#endEpisode("failed", error);
      this.#host.fail(error);
      return;
    }
    if (unauthenticated) episode.refreshUsed = true;
    this.#recover(episode, unauthenticated ? "unauthenticated" : "recovery", error, firstImmediate);
  }

  /** The stream left its connection on purpose (the end of a close-signal pause): reconnect. */
  reconnect(): void {
    const firstImmediate = this.#livedLong();
    this.#recover(this.#currentEpisode(), "recovery", undefined, firstImmediate);
  }

  #install(connection: C): void {
    this.#engine.requeueSent();
    this.#engine.noteConnection();
    this.#connectedAt = performance.now();
    this.#host.install(connection);
  }

  /** Whether the connection that just ended lived at least `recoveryBackoffMs` (A.4: reconnect at once). */
  #livedLong(): boolean {
    return performance.now() - this.#connectedAt >= this.#engine.options.recoveryBackoffMs;
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
    const engine = this.#engine;
    engine.requeueSent();
    // A recovery that goes on with the budget of one not yet confirmed (or on probation) is the same episode.
    if (this.#reported !== episode) {
      this.#endEpisode("recovered");
      this.#reported = episode;
      engine.observer.recoveryStarted(cause);
    }
    if (engine.state !== "closing") engine.setState("recovering", cause);
    connectWithRetries(this.#host.dial, episode, engine.options, reason, this.#lifetime, firstImmediate).then(
      (connection) => {
        if (engine.state === "closed" || engine.state === "failed") {
          connection.close(false);
          return;
        }
        const somethingUnacked = engine.hasQueued;
        this.#install(connection);
        // A.4: with records to re-send, success waits for an ack on the new connection.
        if (somethingUnacked) {
          this.#unconfirmed = episode;
          return;
        }
        this.#recovered();
        this.#probation = { episode, until: performance.now() + engine.options.recoveryBackoffMs };
      },
      (thrown: unknown) => {
        const error = ZerobusError.from(thrown);
        this.#endEpisode(this.#lifetime.aborted ? "abandoned" : "failed", error);
        this.#host.fail(error);
      },
    );
  }

  /** Tells the observer the reported episode ended with `outcome`, once. */
  #endEpisode(outcome: RecoveryOutcome, error?: ZerobusError): void {
    if (this.#reported === undefined) return;
    this.#reported = undefined;
    this.#engine.observer.recoveryEnded(outcome, error);
  }

  #recovered(): void {
    this.#endEpisode("recovered");
    this.#unconfirmed = undefined;
    this.#engine.noteRecovery();
    // Only a recovering stream opens: one closing stays closing, and a close signal may have paused the new
    // connection before its first ack (then it stays paused until the connection is left).
    if (this.#engine.state === "recovering") this.#engine.setState("open");
  }
}
