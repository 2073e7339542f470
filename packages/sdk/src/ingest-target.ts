import type { CallOptions } from "@zerobus/core";

/**
 * What `stream.ingestAll` and `stream.toWritable()` need of a stream: its ingest calls and `flush`. Taken
 * as this interface, not the `ZerobusStream` class, so that those helpers and the class that calls them do
 * not import each other.
 *
 * @typeParam R - the records the stream takes
 */
export interface IngestTarget<R> {
  ingestRecord(record: R, options?: CallOptions): Promise<bigint>;
  ingestRecords(records: readonly R[], options?: CallOptions): Promise<bigint>;
  flush(options?: CallOptions): Promise<void>;
}
