import type * as grpc from "@grpc/grpc-js";
import type {
  Connection,
  ConnectionEvents,
  SupportedRecordType,
  WireRequest,
  ZerobusError,
} from "@zerobus/core";
import { errorFromNetworkError, ZerobusError as ZError } from "@zerobus/core";
import { abortError } from "@zerobus/core/internal";
import type { EndpointFacts } from "./grpc-failure.js";
import { errorFromGrpcFailure } from "./grpc-failure.js";
import { encodeIngestRequest } from "./request-encoder.js";
import type { ServerMessage } from "./response-decoder.js";
import { decodeResponse } from "./response-decoder.js";
import { EPHEMERAL_STREAM_PATH } from "./wire-path.js";

const passThrough = (message: Buffer): Buffer => message;

/** How long a closed connection may wait for the server to end the call after our half-close. */
const HALF_CLOSE_GRACE_MS = 1000;

/**
 * One `EphemeralStream` call, a connection of the core stream: opened with the attempt's metadata,
 * `create_stream` sent at once, resolved by {@link GrpcConnection.open} once the create response arrived.
 * What is specific to the gRPC envelope is here: requests are encoded on the way out, and server messages
 * other than acks and close signals (a second create response, a malformed message, an ack without its
 * offset) end the connection with `protocol_error`. Writes go through grpc-js's stream backpressure:
 * {@link send} returns false when grpc-js buffers enough, and {@link whenDrained} runs a callback once it
 * drained.
 */
export class GrpcConnection implements Connection {
  readonly #call: grpc.ClientDuplexStream<Buffer, ServerMessage>;
  readonly #recordType: SupportedRecordType;
  #listener: ConnectionEvents | undefined;
  #streamId: string | undefined;
  #finished = false;
  #onDrain: (() => void) | undefined;
  /**
   * Events that came between the create response and {@link listen}: the server may send a close signal
   * or end the call in the same tick as its create response, before the stream took the connection.
   */
  #early: ServerMessage[] = [];
  #earlyEnd: ZerobusError | undefined;
  /** Set until the create response (or the end of the call) settles {@link GrpcConnection.open}. */
  #pending: { created: (streamId: string) => void; fail: (error: ZerobusError) => void } | undefined;

  private constructor(call: grpc.ClientDuplexStream<Buffer, ServerMessage>, recordType: SupportedRecordType) {
    this.#call = call;
    this.#recordType = recordType;
  }

  /**
   * Opens the call, sends `create`, and resolves once the server answered with its stream id. Rejects with
   * the status error, a `protocol_error` for any other first message, or `cancelled`/the abort reason when
   * `signal` fires (the call is then cancelled). `endpoint` serves to explain failures (`grpc-failure.ts`).
   */
  static open(
    client: grpc.Client,
    metadata: grpc.Metadata,
    createRequest: Buffer,
    recordType: SupportedRecordType,
    signal: AbortSignal,
    endpoint: EndpointFacts,
  ): Promise<GrpcConnection> {
    // An abort before the call exists would never fire its listener.
    if (signal.aborted) return Promise.reject(abortError(signal, "stream creation"));
    const call = client.makeBidiStreamRequest<Buffer, ServerMessage>(
      EPHEMERAL_STREAM_PATH,
      passThrough,
      decodeResponse,
      metadata,
    );
    const connection = new GrpcConnection(call, recordType);
    return new Promise<GrpcConnection>((resolve, reject) => {
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
      call.on("status", (status: grpc.StatusObject) => connection.#onEnd(statusError(status, endpoint)));
      // grpc-js emits 'error' next to 'status' for non-OK statuses; the status is what we act on, but
      // an 'error' without listener would throw.
      call.on("error", (error: Error) => connection.#onEnd(callError(error, endpoint)));
      call.on("drain", () => connection.#drained());
      call.write(createRequest);
    });
  }

  /** The server's id of this stream (from the create response). */
  get streamId(): string {
    return this.#streamId as string;
  }

  /** Routes later messages and the end of the call to `listener`, first those that came before. */
  listen(listener: ConnectionEvents): void {
    this.#listener = listener;
    const early = this.#early;
    const earlyEnd = this.#earlyEnd;
    this.#early = [];
    this.#earlyEnd = undefined;
    if (early.length === 0 && earlyEnd === undefined) return;
    // Delivered on a microtask so the caller finishes taking the connection first.
    queueMicrotask(() => {
      for (const message of early) {
        if (this.#listener === listener) this.#deliver(listener, message);
      }
      if (earlyEnd !== undefined && this.#listener === listener) listener.onEnd(earlyEnd);
    });
  }

  /** Encodes and writes one request; returns false when the caller should wait for {@link whenDrained}. */
  send(request: WireRequest): boolean {
    if (this.#finished) return false;
    return this.#call.write(encodeIngestRequest(request, this.#recordType));
  }

  /** Runs `callback` once the call drained (replacing any earlier callback). */
  whenDrained(callback: () => void): void {
    this.#onDrain = callback;
  }

  /**
   * Ends the call from our side, whether or not everything was acknowledged: half-close (the server may
   * still answer), cancel after a short grace. No listener is called afterwards.
   */
  close(): void {
    if (this.#finished) return;
    this.#finish();
    this.#call.end();
    setTimeout(() => this.#call.cancel(), HALF_CLOSE_GRACE_MS).unref();
  }

  /** Cancels the call at once (the whole backend shuts down). */
  abort(): void {
    this.#finish();
    this.#call.cancel();
  }

  #finish(): void {
    this.#finished = true;
    this.#listener = undefined;
    this.#onDrain = undefined;
  }

  #drained(): void {
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
    else this.#deliver(this.#listener, message);
  }

  /** One server message after the create response, as the core stream's event it is. */
  #deliver(listener: ConnectionEvents, message: ServerMessage): void {
    switch (message.kind) {
      case "ack":
        if (message.upTo === undefined) {
          this.#protocolError("the server sent an ack without durability_ack_up_to_offset");
        } else {
          listener.onAck(message.upTo);
        }
        return;
      case "closeSignal":
        listener.onCloseSignal(message.durationMs);
        return;
      case "created":
        this.#protocolError("the server sent a second create response");
        return;
      default:
        this.#protocolError(message.reason);
    }
  }

  /** Ends the connection for the stream with `protocol_error`: the server broke the protocol. */
  #protocolError(reason: string): void {
    const listener = this.#listener;
    // No event after this one; the stream then closes the call.
    this.#listener = undefined;
    listener?.onEnd(new ZError("protocol_error", reason));
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
    else listener.onEnd(error);
  }
}

function describeMessage(message: ServerMessage): string {
  return message.kind === "malformed" ? message.reason : `a ${message.kind} message`;
}

function statusError(status: grpc.StatusObject, endpoint: EndpointFacts): ZerobusError {
  return errorFromGrpcFailure(status.code, status.details, endpoint);
}

function callError(error: Error, endpoint: EndpointFacts): ZerobusError {
  const code = (error as Partial<grpc.ServiceError>).code;
  if (typeof code === "number")
    return errorFromGrpcFailure(code, (error as grpc.ServiceError).details ?? error.message, endpoint, error);
  return errorFromNetworkError(error, "the connection broke") ?? ZError.from(error);
}
