import { deepStrictEqual } from "node:assert/strict";
import type { JsonValue } from "@bufbuild/protobuf";
import type { ConnectionRecorder } from "./connection-recorder.js";
import {
  comparable,
  comparableExpected,
  type ExpectedRecord,
  matchesRecord,
  recordKey,
} from "./record-matching.js";
import type { RecordedConnection, RecordedRecord, RecordedRequest } from "./recorded-types.js";

/** Options of the `waitFor*` helpers. */
export interface WaitOptions {
  /** Reject after this long (default 5000 ms). */
  timeoutMs?: number;
}

/**
 * Everything the server saw for one table: its connections, and every accepted request and record across
 * them in arrival order (duplicates from client re-sends included), with assertion and wait helpers. A
 * request the server refused, or ended the stream on before committing it (an `at` script step), shows
 * only in its connection's `requests`: its records were not received by the table.
 */
export class TableRecording {
  readonly #connections: ConnectionRecorder[] = [];
  readonly #requests: RecordedRequest[] = [];
  readonly #records: RecordedRecord[] = [];
  #recordCount = 0;
  readonly #listeners = new Set<() => void>();

  /** @internal Tables are recorded by the server; tests get them from `server.table(name)`. */
  constructor(readonly name: string) {}

  /** Connections whose create named this table, oldest first. */
  get connections(): readonly RecordedConnection[] {
    return this.#connections;
  }

  /** Accepted requests across connections, in arrival order (empty with `keepRecords: false`). */
  get requests(): readonly RecordedRequest[] {
    return this.#requests;
  }

  /** Accepted records across connections, in arrival order (empty with `keepRecords: false`). */
  get records(): readonly RecordedRecord[] {
    return this.#records;
  }

  /** How many records were accepted, duplicates included (compare it with what a client sent). */
  get recordCount(): number {
    return this.#recordCount;
  }

  /** JSON texts of the accepted JSON records, in order. */
  get jsonRecords(): string[] {
    return this.#records.flatMap((record) => (record.kind === "json" ? [record.json] : []));
  }

  /** Parsed values of the accepted records (proto records as proto JSON), in order. */
  get values(): JsonValue[] {
    return this.#records.map((record) => record.value);
  }

  /** How many times a record was received. */
  countOf(expected: ExpectedRecord): number {
    return this.#records.filter((record) => matchesRecord(record, expected)).length;
  }

  /** Records received more than once: the total minus the distinct records. */
  duplicates(): number {
    return this.#records.length - new Set(this.#records.map(recordKey)).size;
  }

  /**
   * Asserts the table received exactly `expected`, in this order, `times` times over (default once): the
   * received sequence must equal `expected` repeated. Throws an `AssertionError` with a diff otherwise.
   */
  assertRecords(expected: readonly ExpectedRecord[], options: { times?: number } = {}): void {
    const times = options.times ?? 1;
    const wanted = Array.from({ length: times }, () => expected).flat();
    const actual = this.#records.map((record, index) => comparable(record, wanted[index]));
    deepStrictEqual(
      actual,
      wanted.map(comparableExpected),
      `table ${this.name}: expected exactly ${expected.length} record(s) × ${times}, received ${this.#records.length}`,
    );
  }

  /**
   * Asserts at-least-once delivery of distinct `expected` records: each arrived at least once, nothing else
   * arrived, and their first arrivals are in `expected` order. Returns how many arrivals were duplicates.
   * Only accepted requests count, so a record whose one arrival was in an uncommitted request (an `at`
   * step) was not delivered: a client that does not re-send it fails this assertion.
   */
  assertDelivered(expected: readonly ExpectedRecord[]): { duplicates: number } {
    const seen = new Set<string>();
    const firsts = this.#records.filter((record) => {
      const key = recordKey(record);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    deepStrictEqual(
      firsts.map((record, index) => comparable(record, expected[index])),
      expected.map(comparableExpected),
      `table ${this.name}: expected ${expected.length} distinct record(s) delivered in order, received ${firsts.length} distinct of ${this.#records.length}`,
    );
    return { duplicates: this.duplicates() };
  }

  /**
   * Resolves once `predicate` holds (checked now and after every change); rejects after the timeout, or
   * with the predicate's own error if it throws (which never disturbs the server).
   */
  waitFor(predicate: (table: this) => boolean, options: WaitOptions = {}, what = "condition"): Promise<void> {
    try {
      if (predicate(this)) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const settle = (error?: unknown): void => {
        this.#listeners.delete(check);
        clearTimeout(timer);
        if (error === undefined) resolve();
        else reject(error);
      };
      const check = (): void => {
        let holds: boolean;
        try {
          holds = predicate(this);
        } catch (error) {
          settle(error ?? new Error("the waitFor predicate threw"));
          return;
        }
        if (holds) settle();
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`table ${this.name}: ${what} not met after ${timeoutMs} ms (${this.#summary()})`));
      }, timeoutMs);
      this.#listeners.add(check);
    });
  }

  /** Resolves once at least `count` records were accepted. */
  waitForRecords(count: number, options?: WaitOptions): Promise<void> {
    return this.waitFor((table) => table.recordCount >= count, options, `${count} records`);
  }

  /** Resolves once at least `count` connections named this table. */
  waitForConnections(count: number, options?: WaitOptions): Promise<void> {
    return this.waitFor((table) => table.connections.length >= count, options, `${count} connections`);
  }

  /** @internal Adds a connection whose create named this table. */
  addConnection(connection: ConnectionRecorder): void {
    this.#connections.push(connection);
    this.notify();
  }

  /** @internal Adds an accepted request; with `keep` false only its records are counted. */
  addRequest(request: RecordedRequest, keep = true): void {
    this.#recordCount += request.records.length;
    if (keep) {
      this.#requests.push(request);
      for (const record of request.records) this.#records.push(record);
    }
    this.notify();
  }

  /** @internal Re-checks waiters after any change (a connection ending, an ack sent). */
  notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #summary(): string {
    const ended = this.#connections.filter((connection) => connection.end).length;
    return `${this.#connections.length} connection(s), ${ended} ended, ${this.#recordCount} record(s)`;
  }
}
