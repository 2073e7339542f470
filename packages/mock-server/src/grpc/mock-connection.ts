import { randomUUID } from "node:crypto";
import { fromBinary, isFieldSet } from "@bufbuild/protobuf";
import { Metadata, type ServerDuplexStream } from "@grpc/grpc-js";
import {
  type EphemeralStreamRequest,
  EphemeralStreamRequestSchema,
  IngestRecordBatchRequestSchema,
  IngestRecordRequestSchema,
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
import type { AckPolicy } from "../script/ack-policy.js";
import type { ScriptCursor } from "../script/script-cursor.js";
import { type CreateScriptStep, isAckStep, isCreateStep, type ScriptStep } from "../script/script-step.js";
import { GrpcStatusCode, type ResolvedStatus, resolveStatus, type StatusSpec } from "../status.js";
import { AckEngine } from "./ack-engine.js";
import { checkBearer, unauthenticated } from "./check-bearer.js";
import { type CreatedStream, checkCreate, isStatus, TABLE_NAME_HEADER } from "./check-create.js";
import { checkIngest } from "./check-ingest.js";
import { ackResponse, createResponse, runStreamStep, type StepTarget } from "./run-stream-step.js";
import type { ServerContext } from "./server-context.js";
import type { TableState } from "./table-state.js";

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

interface Baseline {
  position: number;
  records: number;
  requests: number;
  elapsed: boolean;
}

/** Largest delay setTimeout takes; longer token lifetimes re-arm. */
const MAX_TIMER_MS = 2_147_483_647;

/** One `EphemeralStream` call: the server's side of the conversation of PROTOCOL.md §1.3. */
export class MockConnection implements LiveConnection {
  readonly recording: ConnectionRecorder;
  #state: "creating" | "open" | "ended" = "creating";
  #queue: Promise<void> = Promise.resolve();
  #table: TableState | undefined;
  #stream: CreatedStream | undefined;
  #token: IssuedToken | "any" | undefined;
  #expectedOffset = 0n;
  #acceptedRequests = 0;
  #cursor: ScriptCursor<ScriptStep> | undefined;
  #baseline: Baseline | undefined;
  #ackPolicy: AckPolicy | undefined;
  readonly #acks: AckEngine;
  readonly #stepTarget: StepTarget;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #wakers = new Set<() => void>();
  readonly #cleanups: (() => void)[] = [];

  constructor(
    private readonly call: ServerDuplexStream<Buffer, SentResponse>,
    private readonly context: ServerContext,
    id: number,
  ) {
    this.recording = new ConnectionRecorder(id, metadataRecord(call.metadata), call.getPeer());
    this.#acks = new AckEngine(
      (upTo) => this.#send(ackResponse(upTo)),
      () => this.#ackPolicy ?? this.#table?.ackPolicy ?? this.context.defaultAckPolicy(),
    );
    this.#stepTarget = this.#makeStepTarget();
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
    if (this.#state !== "ended") this.context.dropTransport(this);
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
      return this.endWith(invalid(`cannot decode EphemeralStreamRequest: ${(error as Error).message}`));
    }
    if (this.#state === "creating") return this.#onCreate(request, bytes.length);
    return this.#onIngest(request, bytes.length);
  }

  async #onCreate(request: EphemeralStreamRequest, size: number): Promise<void> {
    if (size > this.context.maxMessageBytes)
      return this.endWith(tooLarge(size, this.context.maxMessageBytes));
    if (request.payload.case !== "createStream")
      return this.endWith(invalid("the first message must be create_stream"));
    const create = request.payload.value;
    if (create.tableName) {
      this.#table = this.context.table(create.tableName);
      this.recording.table = create.tableName;
      this.#table.live.add(this);
      this.#table.recording.addConnection(this.recording);
    }
    const auth = checkBearer(
      this.recording.metadata.authorization,
      this.context.tokens,
      this.context.acceptAnyToken,
    );
    if (isStatus(auth)) return this.endWith(auth);
    const stream = checkCreate(
      create,
      this.recording.metadata[TABLE_NAME_HEADER],
      this.context.checks.tableHeader,
    );
    if (isStatus(stream)) return this.endWith(stream);
    if (auth.token !== "any" && auth.token.table !== undefined && auth.token.table !== stream.table) {
      return this.endWith({
        code: GrpcStatusCode.PERMISSION_DENIED,
        details: `the access token does not grant access to table ${stream.table}`,
      });
    }
    this.#token = auth.token;
    this.#watchToken();
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
      await this.#sleep(step.delayMs);
      return this.endWith(resolveStatus(step.failCreate));
    }
    if ("create" in step) {
      await this.#sleep(step.create.delayMs);
      return this.#accept(step.create.streamId);
    }
    const options = step.acceptThenDrop === true ? {} : step.acceptThenDrop;
    this.#accept(options.streamId);
    this.endWith(
      resolveStatus(
        options.status ?? {
          code: GrpcStatusCode.UNAVAILABLE,
          details: "stream dropped by the server after create",
        },
      ),
    );
  }

  #accept(streamId: string | undefined): void {
    if (this.#state !== "creating") return;
    const id = streamId ?? randomUUID();
    this.recording.streamId = id;
    this.#state = "open";
    this.#send(createResponse(id));
    this.context.log(
      `#${this.recording.id} ${this.recording.table} created ${this.recording.recordType} stream ${id} for ${this.peer}`,
    );
    const cursor = this.#cursor;
    if (cursor) this.#cleanups.push(cursor.onAdvance(() => queueMicrotask(() => this.#evaluate())));
    this.#evaluate();
  }

  async #onIngest(request: EphemeralStreamRequest, size: number): Promise<void> {
    const payload = request.payload;
    if (payload.case === "createStream")
      return this.endWith(invalid("create_stream may be sent only once per stream"));
    if (payload.case === undefined) return this.endWith(invalid("request has no payload"));
    // proto2 presence: an absent offset_id reads as 0n, so ask whether it was on the wire.
    const offsetField =
      payload.case === "ingestRecord"
        ? IngestRecordRequestSchema.field.offsetId
        : IngestRecordBatchRequestSchema.field.offsetId;
    const offset = isFieldSet(payload.value, offsetField) ? payload.value.offsetId : undefined;
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
    const tokenStatus = this.#tokenStatus();
    if (tokenStatus) return refuse(tokenStatus);
    if (size > this.context.maxMessageBytes) return refuse(tooLarge(size, this.context.maxMessageBytes));
    if (this.context.checks.offsets) {
      if (offset === undefined) return refuse(invalid("offset_id is required"));
      if (offset !== this.#expectedOffset) {
        return refuse(invalid(`Non-incremental offset: expected ${this.#expectedOffset}, actual ${offset}`));
      }
    }
    const stream = this.#stream!;
    const records = checkIngest(payload, {
      recordType: stream.recordType,
      row: stream.row,
      checkRecords: this.context.checks.records,
    });
    if (isStatus(records)) return refuse(records);
    const accepted: RecordedRequest = { ...entry, records };
    this.recording.accept(accepted, this.context.keepRecords);
    this.#table?.recording.addRequest(accepted, this.context.keepRecords);
    this.#acceptedRequests += 1;
    this.#acks.onRequest(offset ?? this.#expectedOffset, records.length);
    this.#expectedOffset += 1n;
    this.#evaluate();
  }

  async #onHalfClose(): Promise<void> {
    // A client cancel (RST_STREAM) also ends the request side, just before grpc-js reports the cancel: let
    // that report arrive before calling this a half-close.
    await new Promise((resolve) => setImmediate(resolve));
    // No close message exists in the protocol: a client half-close means it is done; end cleanly.
    if (!this.call.cancelled && this.#finish({ by: "client", how: "half-closed" })) this.call.end();
  }

  /** Runs the stream steps whose moment has come, in order. */
  #evaluate(): void {
    const cursor = this.#cursor;
    while (cursor && this.#state === "open") {
      const step = cursor.current;
      if (!step || isCreateStep(step) || isAckStep(step)) return;
      if (this.#baseline?.position !== cursor.position)
        this.#baseline = this.#newBaseline(cursor.position, step.after?.ms);
      const after = step.after ?? {};
      const base = this.#baseline;
      const due =
        this.recording.recordCount - base.records >= (after.records ?? 0) &&
        this.#acceptedRequests - base.requests >= (after.requests ?? 0) &&
        (after.ms === undefined || base.elapsed);
      if (!due) return;
      cursor.advance();
      runStreamStep(step, this.#stepTarget);
    }
  }

  #newBaseline(position: number, ms: number | undefined): Baseline {
    const baseline = {
      position,
      records: this.recording.recordCount,
      requests: this.#acceptedRequests,
      elapsed: false,
    };
    if (ms !== undefined) {
      this.#later(ms, () => {
        baseline.elapsed = true;
        if (this.#baseline === baseline) this.#evaluate();
      });
    }
    return baseline;
  }

  #makeStepTarget(): StepTarget {
    const connection = this;
    return {
      send: (response) => this.#send(response),
      endWith: (status) => this.endWith(status),
      drop: () => this.drop(),
      later: (ms, action) => this.#later(ms, action),
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

  #tokenStatus(): ResolvedStatus | undefined {
    const token = this.#token;
    if (token === undefined || token === "any") return undefined;
    const checked = this.context.tokens.check(token.token);
    return "refusal" in checked ? unauthenticated(checked.refusal) : undefined;
  }

  /** Ends the stream when its token expires or is revoked, even if the client sends nothing more. */
  #watchToken(): void {
    const token = this.#token;
    if (token === undefined || token === "any") return;
    const check = (): void => {
      const status = this.#tokenStatus();
      if (status) this.endWith(status);
      else this.#later(Math.min(Math.max(token.expiresAt - Date.now(), 1), MAX_TIMER_MS), check);
    };
    this.#later(Math.min(Math.max(token.expiresAt - Date.now(), 0), MAX_TIMER_MS), check);
    this.#cleanups.push(
      this.context.tokens.onInvalidate((tokens) => {
        if (tokens.includes(token)) check();
      }),
    );
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

  #later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#state !== "ended") action();
    }, ms);
    this.#timers.add(timer);
  }

  /** Waits `ms` (no-op when undefined); returns early if the connection ends meanwhile. */
  #sleep(ms: number | undefined): Promise<void> {
    if (!ms) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wakers.add(resolve);
      this.#later(ms, () => {
        this.#wakers.delete(resolve);
        resolve();
      });
    });
  }

  #finish(end: ConnectionEnd): boolean {
    if (this.#state === "ended") return false;
    this.#state = "ended";
    this.recording.finish(end);
    this.context.log(
      `#${this.recording.id} ${this.recording.table ?? "(no table)"} ended by ${describeEnd(end)} after ${this.recording.recordCount} record(s)`,
    );
    this.#acks.stop();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const wake of this.#wakers) wake();
    this.#wakers.clear();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#table?.live.delete(this);
    this.context.connectionEnded(this);
    this.#table?.recording.notify();
    return true;
  }
}

function describeEnd(end: ConnectionEnd): string {
  if (end.by === "server") return `the server: ${GrpcStatusCode[end.code] ?? end.code} ${end.details}`;
  return end.by === "client" ? `the client (${end.how})` : "a transport drop";
}

function invalid(details: string): ResolvedStatus {
  return { code: GrpcStatusCode.INVALID_ARGUMENT, details };
}

function tooLarge(size: number, limit: number): ResolvedStatus {
  return {
    code: GrpcStatusCode.RESOURCE_EXHAUSTED,
    details: `Received message larger than max (${size} vs. ${limit})`,
  };
}

function metadataRecord(metadata: Metadata): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    record[key] = typeof value === "string" ? value : Buffer.from(value).toString("base64");
  }
  return record;
}
