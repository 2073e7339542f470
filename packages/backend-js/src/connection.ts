import type * as grpc from "@grpc/grpc-js";
import type { ZerobusError } from "@zerobus/core";
import { errorFromGrpcStatus, errorFromNetworkError, ZerobusError as ZError } from "@zerobus/core";
import { abortError } from "@zerobus/core/internal";
import { EPHEMERAL_STREAM_PATH } from "@zerobus/proto";
import type { ServerMessage } from "./response-decoder.js";
import { decodeResponse } from "./response-decoder.js";

/** What a live connection reports to its stream. */
export interface ConnectionListener {
  /** A server message after the create response. */
  onMessage(connection: Connection, message: ServerMessage): void;
  /** The call ended or broke; called once, never after {@link Connection.close}. */
  onEnd(connection: Connection, error: ZerobusError): void;
}

const passThrough = (message: Buffer): Buffer => message;

/** How long a closed connection may wait for the server to end the call after our half-close. */
const HALF_CLOSE_GRACE_MS = 1000;

/**
 * One `EphemeralStream` call: opened with the attempt's metadata, `create_stream` sent at once, resolved
 * by {@link Connection.open} once the create response arrived. Writes go through grpc-js's stream
 * backpressure: {@link write} returns false when grpc-js buffers enough, and {@link whenDrained} runs a
 * callback once it drained.
 */
export class Connection {
  readonly #call: grpc.ClientDuplexStream<Buffer, ServerMessage>;
  #listener: ConnectionListener | undefined;
  #streamId: string | undefined;
  #finished = false;
  #blocked = false;
  #onDrain: (() => void) | undefined;
  /**
   * Events that came between the create response and {@link listen}: the server may send a close signal
   * or end the call in the same tick as its create response, before the stream took the connection.
   */
  #early: ServerMessage[] = [];
  #earlyEnd: ZerobusError | undefined;
  /** Set until the create response (or the end of the call) settles {@link Connection.open}. */
  #pending: { created: (streamId: string) => void; fail: (error: ZerobusError) => void } | undefined;

  private constructor(call: grpc.ClientDuplexStream<Buffer, ServerMessage>) {
    this.#call = call;
  }

  /**
   * Opens the call, sends `create`, and resolves once the server answered with its stream id. Rejects with
   * the status error, a `protocol_error` for any other first message, or `cancelled`/the abort reason when
   * `signal` fires (the call is then cancelled).
   */
  static open(
    client: grpc.Client,
    metadata: grpc.Metadata,
    createRequest: Buffer,
    signal: AbortSignal,
  ): Promise<Connection> {
    // An abort before the call exists would never fire its listener.
    if (signal.aborted) return Promise.reject(abortError(signal, "stream creation"));
    const call = client.makeBidiStreamRequest<Buffer, ServerMessage>(
      EPHEMERAL_STREAM_PATH,
      passThrough,
      decodeResponse,
      metadata,
    );
    const connection = new Connection(call);
    return new Promise<Connection>((resolve, reject) => {
      const fail = (error: ZerobusError) => {
        signal.removeEventListener("abort", onAbort);
        connection.#pending = undefined;
        connection.#finish();
        // An attempt given up (timed out, cancelled) must not leave its call open: the server would keep
        // a stream nobody owns, and grpc-js would keep the process alive for it. A no-op once it ended.
        call.cancel();
        reject(error);
      };
      const onAbort = () => fail(abortError(signal, "stream creation"));
      signal.addEventListener("abort", onAbort, { once: true });
      connection.#pending = {
        created: (streamId) => {
          signal.removeEventListener("abort", onAbort);
          connection.#streamId = streamId;
          resolve(connection);
        },
        fail,
      };
      call.on("data", (message: ServerMessage) => connection.#onData(message));
      call.on("status", (status: grpc.StatusObject) => connection.#onEnd(statusError(status)));
      // grpc-js emits 'error' next to 'status' for non-OK statuses; the status is what we act on, but
      // an 'error' without listener would throw.
      call.on("error", (error: Error) => connection.#onEnd(callError(error)));
      call.on("drain", () => connection.#drained());
      call.write(createRequest);
    });
  }

  /** The server's id of this stream (from the create response). */
  get streamId(): string {
    return this.#streamId as string;
  }

  /** Routes later messages and the end of the call to `listener`, first those that came before. */
  listen(listener: ConnectionListener): void {
    this.#listener = listener;
    const early = this.#early;
    const earlyEnd = this.#earlyEnd;
    this.#early = [];
    this.#earlyEnd = undefined;
    if (early.length === 0 && earlyEnd === undefined) return;
    // Delivered on a microtask so the caller finishes taking the connection first.
    queueMicrotask(() => {
      for (const message of early) {
        if (this.#listener === listener) listener.onMessage(this, message);
      }
      if (earlyEnd !== undefined) listener.onEnd(this, earlyEnd);
    });
  }

  /** Whether grpc-js asked us to wait for 'drain' before writing more. */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** Writes one encoded request; returns false when the caller should wait for {@link whenDrained}. */
  write(request: Buffer): boolean {
    if (this.#finished) return false;
    const more = this.#call.write(request);
    if (!more) this.#blocked = true;
    return more;
  }

  /** Runs `callback` once the call drained (replacing any earlier callback). */
  whenDrained(callback: () => void): void {
    this.#onDrain = callback;
  }

  /**
   * Ends the call from our side: half-close (the server may still answer), cancel after a short grace.
   * No listener is called afterwards.
   */
  close(): void {
    if (this.#finished) return;
    this.#finish();
    this.#call.end();
    setTimeout(() => this.#call.cancel(), HALF_CLOSE_GRACE_MS).unref();
  }

  /** Cancels the call at once (used when the whole backend shuts down). */
  cancel(): void {
    this.#finish();
    this.#call.cancel();
  }

  #finish(): void {
    this.#finished = true;
    this.#listener = undefined;
    this.#onDrain = undefined;
  }

  #drained(): void {
    this.#blocked = false;
    const callback = this.#onDrain;
    this.#onDrain = undefined;
    callback?.();
  }

  #onData(message: ServerMessage): void {
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#pending = undefined;
      if (message.kind === "created" && message.streamId !== undefined) {
        pending.created(message.streamId);
      } else {
        this.#call.cancel();
        pending.fail(
          new ZError(
            "protocol_error",
            message.kind === "created"
              ? "the server's create response has no stream_id"
              : `the server's first message must be a create response, got ${describeMessage(message)}`,
          ),
        );
      }
      return;
    }
    if (this.#finished) return;
    if (this.#listener === undefined) this.#early.push(message);
    else this.#listener.onMessage(this, message);
  }

  #onEnd(error: ZerobusError): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) {
      pending.fail(error);
      return;
    }
    if (this.#finished) return;
    const listener = this.#listener;
    this.#finish();
    if (listener === undefined) this.#earlyEnd = error;
    else listener.onEnd(this, error);
  }
}

function describeMessage(message: ServerMessage): string {
  return message.kind === "malformed" ? message.reason : `a ${message.kind} message`;
}

function statusError(status: grpc.StatusObject): ZerobusError {
  return errorFromGrpcStatus(status.code, status.details);
}

function callError(error: Error): ZerobusError {
  const code = (error as Partial<grpc.ServiceError>).code;
  if (typeof code === "number")
    return errorFromGrpcStatus(code, (error as grpc.ServiceError).details ?? error.message, error);
  return errorFromNetworkError(error, "the connection broke") ?? ZError.from(error);
}
