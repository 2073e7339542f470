/**
 * The kind of records a stream carries, with the wire numbers of `databricks.zerobus.RecordType`.
 * `Unspecified` exists for completeness: the server refuses it and so does the SDK.
 */
export const RecordType = {
  Unspecified: 0,
  Proto: 1,
  Json: 2,
} as const;

/** One of the {@link RecordType} values. */
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

/** The record types a stream can be opened with. */
export type SupportedRecordType = typeof RecordType.Proto | typeof RecordType.Json;
