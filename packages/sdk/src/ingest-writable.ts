import type { Writable } from "node:stream";
import type { IngestTarget } from "./ingest-target.js";

/** Options of `stream.toWritable()`. */
export interface WritableOptions {
  /** Records per `ingestRecords` batch when the writable has several buffered; default: one by one. */
  batchSize?: number;
}

/**
 * The Writable behind `stream.toWritable()`. A write's callback runs once its record is accepted, so a full
 * in-flight window stops the pipeline instead of buffering without bound.
 */
export function createIngestWritable<R>(stream: IngestTarget<R>, batchSize: number | undefined): Writable {
  const settle = (promise: Promise<unknown>, callback: (error?: Error | null) => void) =>
    promise.then(
      () => callback(),
      (error: Error) => callback(error),
    );
  // `node:stream` only when a writable is asked for: imported with the SDK, it would cost every process.
  const { Writable } = process.getBuiltinModule("node:stream");
  return new Writable({
    objectMode: true,
    highWaterMark: batchSize ?? 16,
    write(record: R, _encoding, callback) {
      settle(stream.ingestRecord(record), callback);
    },
    ...(batchSize === undefined
      ? {}
      : {
          writev(chunks: { chunk: R }[], callback: (error?: Error | null) => void) {
            const records = chunks.map((c) => c.chunk);
            // One batch after the other, stopping at the first refused: none written after a refused
            // record may be accepted (that would leave a gap in what the caller wrote).
            const ingestInOrder = async () => {
              for (let i = 0; i < records.length; i += batchSize) {
                await stream.ingestRecords(records.slice(i, i + batchSize));
              }
            };
            settle(ingestInOrder(), callback);
          },
        }),
    final(callback) {
      settle(stream.flush(), callback);
    },
  });
}
