import { create, fromBinary, isFieldSet, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { Client, type ClientDuplexStream, credentials, Metadata, type StatusObject } from "@grpc/grpc-js";
import {
  EPHEMERAL_STREAM_PATH,
  type EphemeralStreamRequest,
  EphemeralStreamRequestSchema,
  type EphemeralStreamResponse,
  EphemeralStreamResponseSchema,
  IngestRecordResponseSchema,
  RecordType,
} from "@zerobus/proto";

/** Test-only: a plain grpc-js client for one `EphemeralStream` call, with a queue of responses. */
export class TestStream {
  readonly #call: ClientDuplexStream<EphemeralStreamRequest | Uint8Array, Uint8Array>;
  readonly #client: Client;
  readonly #responses: Uint8Array[] = [];
  readonly #waiters: (() => void)[] = [];
  /** Resolves with the final status (the call's end, whoever ended it). */
  readonly status: Promise<StatusObject>;
  /** Whether response headers arrived. */
  headersReceived = false;

  constructor(
    address: string,
    headers: Record<string, string>,
    options: { ca?: string; client?: Client } = {},
  ) {
    this.#client =
      options.client ??
      new Client(
        address,
        options.ca ? credentials.createSsl(Buffer.from(options.ca)) : credentials.createInsecure(),
      );
    const metadata = new Metadata();
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
    this.#call = this.#client.makeBidiStreamRequest(
      EPHEMERAL_STREAM_PATH,
      (request: EphemeralStreamRequest | Uint8Array) =>
        Buffer.from(
          request instanceof Uint8Array ? request : toBinary(EphemeralStreamRequestSchema, request),
        ),
      (bytes: Buffer) => new Uint8Array(bytes),
      metadata,
    );
    this.#call.on("metadata", () => {
      this.headersReceived = true;
    });
    this.#call.on("data", (bytes: Uint8Array) => {
      this.#responses.push(bytes);
      this.#wake();
    });
    this.status = new Promise((resolve) =>
      this.#call.on("status", (status: StatusObject) => {
        resolve(status);
        this.#wake();
      }),
    );
    this.#call.on("error", () => undefined);
  }

  /** Sends a request (built from its init shape) or raw bytes. */
  send(request: MessageInitShape<typeof EphemeralStreamRequestSchema> | Uint8Array): void {
    this.#call.write(request instanceof Uint8Array ? request : create(EphemeralStreamRequestSchema, request));
  }

  /** Sends `create_stream` for a JSON stream (or PROTO with `descriptor`). */
  create(table: string, descriptor?: Uint8Array): void {
    this.send({
      payload: {
        case: "createStream",
        value: descriptor
          ? { tableName: table, recordType: RecordType.PROTO, descriptorProto: descriptor }
          : { tableName: table, recordType: RecordType.JSON },
      },
    });
  }

  /** Sends one JSON record at a wire offset. */
  json(offset: bigint, record: string): void {
    this.send({
      payload: {
        case: "ingestRecord",
        value: { offsetId: offset, record: { case: "jsonRecord", value: record } },
      },
    });
  }

  /** Sends a JSON batch at a wire offset. */
  jsonBatch(offset: bigint, records: string[]): void {
    this.send({
      payload: {
        case: "ingestRecordBatch",
        value: { offsetId: offset, batch: { case: "jsonBatch", value: { records } } },
      },
    });
  }

  /** Sends one proto record at a wire offset. */
  proto(offset: bigint, record: Uint8Array): void {
    this.send({
      payload: {
        case: "ingestRecord",
        value: { offsetId: offset, record: { case: "protoEncodedRecord", value: record } },
      },
    });
  }

  /** The next response, decoded; rejects if the call ends first or after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<EphemeralStreamResponse> {
    return fromBinary(EphemeralStreamResponseSchema, await this.nextRaw(timeoutMs));
  }

  /** The next response's raw bytes. */
  async nextRaw(timeoutMs = 5000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.#responses.length === 0) {
      const ended = await Promise.race([
        this.status.then((status) => status),
        new Promise<void>((resolve) => this.#waiters.push(resolve)),
        new Promise<"timeout">((resolve) =>
          setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now())),
        ),
      ]);
      if (this.#responses.length > 0) break;
      if (ended === "timeout") throw new Error(`no response within ${timeoutMs} ms`);
      if (ended) throw new Error(`call ended (${ended.code} ${ended.details}) before another response`);
    }
    return this.#responses.shift()!;
  }

  /** The acks received until the call ends or `count` arrived. */
  async acks(count: number, timeoutMs = 5000): Promise<bigint[]> {
    const acks: bigint[] = [];
    while (acks.length < count) {
      const response = await this.next(timeoutMs);
      if (response.payload.case !== "ingestRecordResponse")
        throw new Error(`expected an ack, got ${response.payload.case}`);
      const ack = response.payload.value;
      if (!isFieldSet(ack, IngestRecordResponseSchema.field.durabilityAckUpToOffset))
        throw new Error("ack without offset");
      acks.push(ack.durabilityAckUpToOffset);
    }
    return acks;
  }

  /** Half-closes the request side. */
  end(): void {
    this.#call.end();
  }

  /** Cancels the call. */
  cancel(): void {
    this.#call.cancel();
  }

  /** Closes the underlying channel. */
  close(): void {
    this.#client.close();
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}

/** A created JSON stream on `table`, with the create response consumed. */
export async function openJsonStream(
  server: { address: string; headers(table: string): Record<string, string>; ca?: string | undefined },
  table: string,
): Promise<TestStream> {
  const stream = new TestStream(server.address, server.headers(table), server.ca ? { ca: server.ca } : {});
  stream.create(table);
  const response = await stream.next();
  if (response.payload.case !== "createStreamResponse")
    throw new Error(`expected a create response, got ${response.payload.case}`);
  return stream;
}
