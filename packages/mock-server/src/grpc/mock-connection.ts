import { randomUUID } from "node:crypto";
import { fromBinary, isFieldSet } from "@bufbuild/protobuf";
import { Metadata, type ServerDuplexStream } from "@grpc/grpc-js";
import {
  type EphemeralStreamRequest,
  EphemeralStreamRequestSchema,
  IngestRecordResponseSchema,
} from "@zerobus/proto";
import type { IssuedToken } from "../oauth/token-store.js";
import { ConnectionRecorder } from "../recording/connection-recorder.js";
import type {
  ConnectionEnd,
  RecordedConnection,
  RecordedRequest,
  SentResponse,
} from "../recording/recorded-types.js";
import type { TableSchema } from "../schema/table-schema.js";
import type { AckPolicy } from "../script/ack-policy.js";
import type { ScriptCursor } from "../script/script-cursor.js";
import { type CreateScriptStep, isCreateStep, type ScriptStep } from "../script/script-step.js";
import type { TriggerCounts } from "../script/trigger-counts.js";
import {
  GrpcStatusCode,
  invalidArgument,
  messageTooLarge,
  type ResolvedStatus,
  resolveStatus,
  type StatusSpec,
} from "../status.js";
import { AckEngine } from "./ack-engine.js";
import { admitCreate } from "./admit-create.js";
import { type CreatedStream, isStatus } from "./check-create.js";
import { checkIngest, wireOffset } from "./check-ingest.js";
import { ConnectionTimers } from "./connection-timers.js";
import { ackResponse, createResponse, runStreamStep, type StepTarget } from "./run-stream-step.js";
import type { ServerContext } from "./server-context.js";
import { StreamScriptRunner } from "./stream-script-runner.js";
import type { TableState } from "./table-state.js";
import { tokenStatus, watchToken } from "./watch-token.js";

/** A live stream a test can act on directly. */
export interface LiveConnection {
  readonly recording: RecordedConnection;
  /** Ends the stream with a status (default OK). */
  end(status?: StatusSpec): void;
  /** Destroys the transport connection under the stream. */
  drop(): void;
  /** Sends the ack the policy withheld: up to the highest offset received. */
  releaseAcks(): void;
  /** Sends an ack of exactly `upTo` (not checked: this can be malformed on purpose). */
  ack(upTo: bigint): void;
  /** Sends any response, or raw bytes as a response message. */
  send(response: SentResponse): void;
}

/** One `EphemeralStream` call: the server's side of the conversation of PROTOCOL.md §1.3. */
export class MockConnection implements LiveConnection {
  readonly recording: ConnectionRecorder;
  #state: "creating" | "open" | "ended" = "creating";
  #queue: Promise<void> = Promise.resolve();
  #table: TableState | undefined;
  /** The call's metadata as received (the recording keeps a redacted copy). */
  readonly #metadata: Record<string, string>;
  #stream: CreatedStream | undefined;
  #token: IssuedToken | "any" | undefined;
  #schema: TableSchema | undefined;
  #expectedOffset = 0n;
  /** What was committed on this connection: what script triggers count. */
  readonly #committed: TriggerCounts = { records: 0, requests: 0, bytes: 0 };
  #runner: StreamScriptRunner | undefined;
  #cursor: ScriptCursor<ScriptStep> | undefined;
  #ackPolicy: AckPolicy | undefined;
  readonly #acks: AckEngine;
  readonly #stepTarget: StepTarget;
  readonly #timers = new ConnectionTimers();
  readonly #cleanups: (() => void)[] = [];

  constructor(
    private readonly call: ServerDuplexStream<Buffer, SentResponse>,
    private readonly context: ServerContext,
    id: number,
  ) {
    this.#metadata = metadataRecord(call.metadata);
    this.recording = new ConnectionRecorder(id, redacted(this.#metadata), call.getPeer());
    this.#acks = new AckEngine(
      (upTo) => this.#send(ackResponse(upTo)),
      () => this.#ackPolicy ?? this.#table?.ackPolicy ?? this.context.defaultAckPolicy(),
    );
    this.#stepTarget = this.#makeStepTarget();
    // Whichever runner the connection has when it ends (a new script replaces it) stops with it.
    this.#cleanups.push(() => this.#runner?.stop());
  }

  /** `host:port` of the client, which identifies its transport connection. */
  get peer(): string {
    return this.recording.peer;
  }

  /** The table state, once the create named one. */
  get table(): TableState | undefined {
    return this.#table;
  }

  /** Starts the conversation. */
  start(): void {
    // Rust (tonic) clients send nothing until response headers arrive, and grpc-js sends them lazily.
    this.call.sendMetadata(new Metadata());
    this.call.on("data", (bytes: Buffer) => this.#enqueue(() => this.#onMessage(bytes)));
    this.call.on("end", () => this.#enqueue(() => this.#onHalfClose()));
    this.call.on("cancelled", () => this.#finish({ by: "client", how: "cancelled" }));
    // A write racing a client cancel errors; the end is already recorded by then.
    this.call.on("error", () => undefined);
  }

  end(status: StatusSpec = GrpcStatusCode.OK): void {
    this.endWith(
      status === GrpcStatusCode.OK ? { code: GrpcStatusCode.OK, details: "OK" } : resolveStatus(status),
    );
  }

  drop(): void {
    if (this.#state === "ended" || this.context.dropTransport(this.peer)) return;
    this.endWith({ code: GrpcStatusCode.UNAVAILABLE, details: "connection dropped" });
  }

  releaseAcks(): void {
    this.#acks.release();
  }

  ack(upTo: bigint): void {
    this.#send(ackResponse(upTo));
  }

  send(response: SentResponse): void {
    this.#send(response);
  }

  /** Ends the stream with `status` (OK ends it cleanly). */
  endWith(status: ResolvedStatus): void {
    if (!this.#finish({ by: "server", code: status.code, details: status.details })) return;
    if (status.code === GrpcStatusCode.OK) this.call.end();
    else this.call.emit("error", { code: status.code, details: status.details, metadata: new Metadata() });
  }

  /** Records that the transport under the stream was destroyed. */
  markDropped(): void {
    this.#finish({ by: "transport", how: "dropped" });
  }

  #enqueue(task: () => Promise<void>): void {
    // Messages are handled one at a time, in order, so a slow create holds back what follows it.
    this.#queue = this.#queue.then(task).catch((error: unknown) => {
      this.endWith({ code: GrpcStatusCode.INTERNAL, details: `mock server error: ${String(error)}` });
    });
  }

  async #onMessage(bytes: Buffer): Promise<void> {
    if (this.#state === "ended") return;
    let request: EphemeralStreamRequest;
    try {
      // A plain view, so decoded `bytes` fields are Uint8Arrays rather than Buffers.
      request = fromBinary(
        EphemeralStreamRequestSchema,
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      );
    } catch (error) {
      return this.endWith(
        invalidArgument(`cannot decode EphemeralStreamRequest: ${(error as Error).message}`),
      );
    }
    if (this.#state === "creating") return this.#onCreate(request, bytes.length);
    return this.#onIngest(request, bytes.length);
  }

  async #onCreate(request: EphemeralStreamRequest, size: number): Promise<void> {
    if (size > this.context.maxMessageBytes)
      return this.endWith(messageTooLarge(size, this.context.maxMessageBytes));
    if (request.payload.case !== "createStream")
      return this.endWith(invalidArgument("the first message must be create_stream"));
    const create = request.payload.value;
    if (create.tableName) {
      this.#table = this.context.table(create.tableName);
      this.recording.table = create.tableName;
      this.#table.live.add(this);
      this.#table.recording.addConnection(this.recording);
    }
    const admitted = admitCreate(create, this.#metadata, this.context);
    if (isStatus(admitted)) return this.endWith(admitted);
    const { stream, token, schema } = admitted;
    this.#token = token;
    this.#schema = schema;
    if (token !== "any") {
      this.#cleanups.push(
        watchToken(this.context.tokens, token, this.#timers, (status) => this.endWith(status)),
      );
    }
    this.#stream = stream;
    this.recording.recordType = stream.recordType;
    this.recording.descriptor = stream.row?.descriptor;
    this.#cursor = this.#table?.cursorFor((policy) => {
      this.#ackPolicy = policy;
    });
    const step = this.#cursor?.current;
    if (step && isCreateStep(step)) {
      this.#cursor?.advance();
      return this.#runCreateStep(step);
    }
    this.#accept(undefined);
  }

  async #runCreateStep(step: CreateScriptStep): Promise<void> {
    if ("failCreate" in step) {
      await this.#timers.sleep(step.delayMs);
      return this.endWith(resolveStatus(step.failCreate));
    }
    if ("create" in step) {
      await this.#timers.sleep(step.create.delayMs);
      return this.#accept(step.create.streamId);
    }
    const options = step.acceptThenDrop === true ? {} : step.acceptThenDrop;
    // Created, but no script runs on it: the next step belongs to the next connection.
    this.#accept(options.streamId, false);
    this.endWith(
      resolveStatus(
        options.status ?? {
          code: GrpcStatusCode.UNAVAILABLE,
          details: "stream dropped by the server after create",
        },
      ),
    );
  }

  #accept(streamId: string | undefined, runScript = true): void {
    if (this.#state !== "creating") return;
    const id = streamId ?? randomUUID();
    this.recording.streamId = id;
    this.#state = "open";
    this.#send(createResponse(id));
    this.context.log(
      `#${this.recording.id} ${this.recording.table} created ${this.recording.recordType} stream ${id} for ${this.peer}`,
    );
    if (runScript) this.#startRunner();
  }

  /**
   * The table's script was replaced (or set for the first time) while this connection is open: it runs
   * the new one from now on, its triggers counting from now. A connection still being created takes the
   * table's script once created.
   */
  followNewScript(): void {
    if (this.#state !== "open") return;
    this.#runner?.stop();
    this.#runner = undefined;
    this.#ackPolicy = undefined;
    this.#cursor = this.#table?.cursorFor((policy) => {
      this.#ackPolicy = policy;
    });
    this.#startRunner();
  }

  #startRunner(): void {
    if (this.#cursor) {
      const connection = this;
      this.#runner = new StreamScriptRunner(
        this.#cursor,
        {
          get open() {
            return connection.#state === "open";
          },
          counts: this.#committed,
        },
        this.#timers,
        (step) => runStreamStep(step, this.#stepTarget),
      );
    }
    this.#runner?.evaluate();
  }

  async #onIngest(request: EphemeralStreamRequest, size: number): Promise<void> {
    const payload = request.payload;
    if (payload.case === "createStream")
      return this.endWith(invalidArgument("create_stream may be sent only once per stream"));
    if (payload.case === undefined) return this.endWith(invalidArgument("request has no payload"));
    const offset = wireOffset(payload);
    const entry = {
      connectionId: this.recording.id,
      offset,
      kind: payload.case === "ingestRecord" ? ("record" as const) : ("batch" as const),
      bytes: size,
      receivedAt: Date.now(),
    };
    const refuse = (status: ResolvedStatus): void => {
      this.recording.requests.push({ ...entry, records: [], refused: status });
      this.endWith(status);
    };
    const expired = tokenStatus(this.context.tokens, this.#token);
    if (expired) return refuse(expired);
    if (size > this.context.maxMessageBytes)
      return refuse(messageTooLarge(size, this.context.maxMessageBytes));
    const stream = this.#stream!;
    const records = checkIngest(payload, {
      recordType: stream.recordType,
      row: stream.row,
      checkOffsets: this.context.checks.offsets,
      expectedOffset: this.#expectedOffset,
      checkRecords: this.context.checks.records,
      schema: this.#schema,
    });
    if (isStatus(records)) return refuse(records);
    const counted: TriggerCounts = { records: records.length, requests: 1, bytes: size };
    const cutting = this.#runner?.stepAt(counted);
    if (cutting) {
      // An `at` step ends the stream on this request instead of committing it: it is never acknowledged
      // and the table does not count its records (README "Scripts").
      this.recording.requests.push({ ...entry, records, uncommitted: true });
      return this.#runner?.run(cutting);
    }
    const accepted: RecordedRequest = { ...entry, records };
    this.recording.accept(accepted, this.context.keepRecords);
    this.#table?.recording.addRequest(accepted, this.context.keepRecords);
    this.#committed.records += counted.records;
    this.#committed.requests += counted.requests;
    this.#committed.bytes += counted.bytes;
    this.#acks.onRequest(offset ?? this.#expectedOffset, records.length);
    this.#expectedOffset += 1n;
    this.#runner?.evaluate();
  }

  async #onHalfClose(): Promise<void> {
    // A client cancel (RST_STREAM) also ends the request side, just before grpc-js reports the cancel: let
    // that report arrive before calling this a half-close.
    await new Promise((resolve) => setImmediate(resolve));
    // No close message exists in the protocol: a client half-close means it is done; end cleanly.
    if (!this.call.cancelled && this.#finish({ by: "client", how: "half-closed" })) this.call.end();
  }

  #makeStepTarget(): StepTarget {
    const connection = this;
    return {
      send: (response) => this.#send(response),
      endWith: (status) => this.endWith(status),
      drop: () => this.drop(),
      later: (ms, action) => this.#timers.later(ms, action),
      get lastAck() {
        return connection.#acks.lastSent;
      },
      get maxOffset() {
        return connection.#acks.lastReceived;
      },
      get streamId() {
        return connection.recording.streamId ?? "";
      },
    };
  }

  #send(response: SentResponse): void {
    if (this.#state === "ended") return;
    this.recording.responses.push(response);
    if (!(response instanceof Uint8Array) && response.payload.case === "ingestRecordResponse") {
      const ack = response.payload.value;
      if (isFieldSet(ack, IngestRecordResponseSchema.field.durabilityAckUpToOffset)) {
        this.recording.acks.push(ack.durabilityAckUpToOffset);
      }
    }
    this.call.write(response);
    this.#table?.recording.notify();
  }

  #finish(end: ConnectionEnd): boolean {
    if (this.#state === "ended") return false;
    this.#state = "ended";
    this.recording.finish(end);
    this.context.log(
      `#${this.recording.id} ${this.recording.table ?? "(no table)"} ended by ${describeEnd(end)} after ${this.recording.recordCount} record(s)`,
    );
    this.#acks.stop();
    this.#timers.stop();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#table?.live.delete(this);
    this.context.connectionEnded(this.recording.id);
    this.#table?.recording.notify();
    return true;
  }
}

function describeEnd(end: ConnectionEnd): string {
  if (end.by === "server") return `the server: ${GrpcStatusCode[end.code] ?? end.code} ${end.details}`;
  return end.by === "client" ? `the client (${end.how})` : "a transport drop";
}

function metadataRecord(metadata: Metadata): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    record[key] = typeof value === "string" ? value : Buffer.from(value).toString("base64");
  }
  return record;
}

/** The metadata as recorded: tokens never are (README), only the scheme stays, so a test can check it. */
function redacted(metadata: Readonly<Record<string, string>>): Record<string, string> {
  const authorization = metadata.authorization;
  if (authorization === undefined) return { ...metadata };
  return { ...metadata, authorization: `${authorization.split(" ", 1)[0]} <redacted>` };
}
