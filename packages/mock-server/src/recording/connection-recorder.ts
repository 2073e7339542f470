import type { DescriptorProto } from "@bufbuild/protobuf/wkt";
import type { ConnectionEnd, RecordedConnection, RecordedRequest, SentResponse } from "./recorded-types.js";

/** The mutable record behind a `RecordedConnection`; only the server writes to it. */
export class ConnectionRecorder implements RecordedConnection {
  table: string | undefined;
  streamId: string | undefined;
  recordType: "json" | "proto" | undefined;
  descriptor: DescriptorProto | undefined;
  readonly requests: RecordedRequest[] = [];
  recordCount = 0;
  maxOffset = -1n;
  readonly acks: bigint[] = [];
  readonly responses: SentResponse[] = [];
  end: ConnectionEnd | undefined;
  endedAt: number | undefined;
  readonly ended: Promise<ConnectionEnd>;
  readonly openedAt = Date.now();
  #resolveEnded!: (end: ConnectionEnd) => void;

  constructor(
    readonly id: number,
    readonly metadata: Readonly<Record<string, string>>,
    readonly peer: string,
  ) {
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  /** Records the end once; later calls are ignored (the first cause is the real one). */
  finish(end: ConnectionEnd): boolean {
    if (this.end) return false;
    this.end = end;
    this.endedAt = Date.now();
    this.#resolveEnded(end);
    return true;
  }

  /** Adds an accepted request to the counters (and keeps it unless `keep` is false). */
  accept(request: RecordedRequest, keep = true): void {
    if (keep) this.requests.push(request);
    this.recordCount += request.records.length;
    if (request.offset !== undefined && request.offset > this.maxOffset) this.maxOffset = request.offset;
  }
}
