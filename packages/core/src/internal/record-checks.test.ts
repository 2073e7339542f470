import { describe, expect, it } from "vitest";
import { RecordType } from "../record-type.js";
import { resolveStreamOptions } from "../stream-options.js";
import { checkRecordFits, largestSingleRecord, measureBatch, measureRecord } from "./record-checks.js";
import { singleRequestSize } from "./wire-size.js";

const json = resolveStreamOptions({}, { hasDescriptor: false });
const proto = resolveStreamOptions({}, { hasDescriptor: true });

function expectRefused(run: () => unknown, message: RegExp): void {
  expect(run).toThrow(
    expect.objectContaining({
      code: "invalid_argument",
      retryable: false,
      message: expect.stringMatching(message),
    }),
  );
}

describe("measureRecord", () => {
  it("measures JSON in UTF-8 bytes and proto in bytes", () => {
    expect(measureRecord('{"a":"é"}', RecordType.Json, true)).toBe(10);
    expect(measureRecord(new Uint8Array(5), RecordType.Proto, true)).toBe(5);
  });

  it("refuses a record of the wrong kind", () => {
    expectRefused(() => measureRecord(new Uint8Array(1), RecordType.Json, true), /JSON string.*Uint8Array/);
    expectRefused(() => measureRecord("{}", RecordType.Proto, true), /Uint8Array on a Proto stream.*string/);
  });

  it.each([
    [undefined, "got undefined"],
    [null, "got null"],
    [[1], "got an array"],
    [{}, "got an object"],
    [7, "got a number"],
    [7n, "got a bigint"],
    [true, "got a boolean"],
    [Symbol("s"), "got a symbol"],
    [() => 1, "got a function"],
    [new Int8Array(1), "got an Int8Array"],
    [new Map(), "got a Map"],
    [new Uint16Array(1), "got a Uint16Array"],
  ])("names a record of the wrong kind grammatically: %o", (record, got) => {
    const refused = (start: string) => new RegExp(`^\\[invalid_argument\\] ${start}; ${got}$`);
    expectRefused(
      () => measureRecord(record as never, RecordType.Json, true),
      refused("a record must be a JSON string on a JSON stream"),
    );
    expectRefused(
      () => measureRecord(record as never, RecordType.Proto, true),
      refused("a record must be a Uint8Array on a Proto stream"),
    );
    expectRefused(
      () => measureBatch(["{}", record as never], json),
      refused("record 1 of the batch must be a JSON string on a JSON stream"),
    );
  });

  it("refuses JSON that does not parse as an object unless validation is off", () => {
    expectRefused(() => measureRecord("{", RecordType.Json, true), /not valid JSON/);
    expectRefused(
      () => measureRecord("[1]", RecordType.Json, true),
      /a record must be a JSON object; got an array$/,
    );
    expectRefused(
      () => measureRecord("null", RecordType.Json, true),
      /a record must be a JSON object; got null$/,
    );
    expectRefused(
      () => measureRecord("3", RecordType.Json, true),
      /a record must be a JSON object; got a number$/,
    );
    expectRefused(
      () => measureRecord('"x"', RecordType.Json, true),
      /a record must be a JSON object; got a string$/,
    );
    expect(measureRecord("{", RecordType.Json, false)).toBe(1);
  });

  it("never quotes the record in its message", () => {
    expect(() => measureRecord('{"secret":', RecordType.Json, true)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("secret") }),
    );
  });
});

describe("checkRecordFits", () => {
  it("refuses a record whose request would pass maxMessageBytes", () => {
    const options = resolveStreamOptions({ maxMessageBytes: 1000 }, { hasDescriptor: false });
    let largest = 0;
    while (singleRequestSize(largest + 1) <= 1000) largest++;
    expect(() => checkRecordFits(largest, options)).not.toThrow();
    expectRefused(() => checkRecordFits(largest + 1, options), /over maxMessageBytes 1000/);
  });

  it("gives the largest record that passes, for the hot path", () => {
    for (const options of [
      resolveStreamOptions({ maxMessageBytes: 1000 }, { hasDescriptor: false }),
      resolveStreamOptions({ maxInflightBytes: 10 }, { hasDescriptor: false }),
    ]) {
      const largest = largestSingleRecord(options);
      expect(() => checkRecordFits(largest, options)).not.toThrow();
      expect(() => checkRecordFits(largest + 1, options)).toThrow();
    }
  });

  it("refuses a record larger than maxInflightBytes", () => {
    const options = resolveStreamOptions({ maxInflightBytes: 10 }, { hasDescriptor: false });
    expectRefused(() => checkRecordFits(11, options), /maxInflightBytes 10/);
  });
});

describe("measureBatch", () => {
  it("sums the payload bytes and keeps each record's length", () => {
    expect(measureBatch(["{}", '{"a":"é"}'], json)).toEqual({ bytes: 12, lengths: [2, 10] });
    expect(measureBatch([new Uint8Array(3), new Uint8Array(4)], proto)).toEqual({
      bytes: 7,
      lengths: [3, 4],
    });
  });

  it("measures unvalidated JSON batches in UTF-8 bytes, ASCII or not", () => {
    const plain = resolveStreamOptions({ validateRecords: false }, { hasDescriptor: false });
    expect(measureBatch(['{"a":1}', "{}"], plain)).toEqual({ bytes: 9, lengths: [7, 2] });
    expect(measureBatch(['{"a":1}', '{"b":"é☃𝄞"}'], plain)).toEqual({ bytes: 24, lengths: [7, 17] });
    // Records measured in several joins (16 KiB each) and alone (a record longer than that): one
    // non-ASCII character in the last join, or in the long record, is still counted in bytes.
    const small = `{"p":"${"a".repeat(992)}"}`;
    const long = `{"p":"${"b".repeat(20_000)}"}`;
    const batch = [...Array<string>(40).fill(small), long, ...Array<string>(40).fill(small)];
    expect(measureBatch(batch, plain).bytes).toBe(80 * 1000 + 20_008);
    expect(measureBatch([...batch.slice(0, -1), '{"p":"é"}'], plain).lengths.at(-1)).toBe(10);
    expect(measureBatch([...batch.slice(0, 40), '{"p":"☃"}', long], plain).lengths.slice(-2)).toEqual([
      11, 20_008,
    ]);
    expect(() => measureBatch(["{}", new Uint8Array(1)], plain)).toThrow(
      expect.objectContaining({ code: "invalid_argument", message: expect.stringContaining("record 1") }),
    );
  });

  it("refuses an empty batch, a bad record by index, and batches over the limits", () => {
    expectRefused(() => measureBatch([], json), /at least one record/);
    expectRefused(() => measureBatch(["{}", "x"], json), /record 1 of the batch is not valid JSON/);
    const small = resolveStreamOptions(
      { maxInflightRecords: 2, maxInflightBytes: 5, maxMessageBytes: 100 },
      { hasDescriptor: false },
    );
    expectRefused(() => measureBatch(["{}", "{}", "{}"], small), /maxInflightRecords 2/);
    expectRefused(() => measureBatch(['{"a":1}'], small), /maxInflightBytes 5/);
    const tight = resolveStreamOptions({ maxMessageBytes: 100 }, { hasDescriptor: false });
    expectRefused(() => measureBatch(Array(30).fill("{}"), tight), /over maxMessageBytes 100/);
  });
});
