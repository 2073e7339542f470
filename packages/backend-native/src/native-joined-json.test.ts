import { resolveStreamOptions } from "@zerobus/core";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { createBackend, loadNative } from "./index.js";

// A JSON request crosses into Rust as a few strings (its records joined in chunks of at most 64 KB) cut at
// each record's UTF-8 length (measured at accept); the binding refuses the cut when lone surrogates at
// records' edges pair up once joined in a chunk, and the records then cross one by one. Either way each
// record arrives as it was given (a lone surrogate as U+FFFD, as when it crosses alone).

let server: MockServer;
/** Takes any text as a record, so that records can start and end with any character. */
let lenient: MockServer;

beforeAll(async () => {
  server = await createMockServer();
  lenient = await createMockServer({ checks: { records: false } });
});
afterAll(async () => {
  await server.close();
  await lenient.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts the requests whose records crossed one by one (the chunks refused). */
function oneByOne() {
  return vi.spyOn(loadNative().NativeStream.prototype, "ingestJson");
}

async function received(table: string, calls: (string | string[])[], on = server): Promise<string[]> {
  const streams = localStreams(createBackend, on.endpoint);
  const options = resolveStreamOptions({ validateRecords: false }, { hasDescriptor: false });
  const stream = await streams.openStream({ tableName: table }, options, {
    getHeaders: () => on.headers(table),
  });
  // Not awaited one by one: the calls coalesce into one request.
  await Promise.all(
    calls.map((call) => (typeof call === "string" ? stream.ingestRecord(call) : stream.ingestRecords(call))),
  );
  await stream.flush();
  await stream.close();
  await streams.close();
  return on.table(table).records.map((record) => (record.kind === "json" ? record.json : "(proto)"));
}

it("cuts a joined request into its records, whatever their characters", async () => {
  const records = ['{"a":"é"}', "{}", '{"b":"☃𝄞"}', '{"c":1}', '{"d":"x"}'];
  const got = await received("main.joined.t1", [
    records[0] as string,
    records.slice(1, 3),
    ...records.slice(3),
  ]);
  expect(got).toEqual(records);
});

it("sends records one by one when lone surrogates at their edges would pair up once joined", async () => {
  // Measured apart, "\uD83D" and "\uDE00" are 3 bytes each (U+FFFD); joined they would be one 4-byte emoji
  // and the cut would fall inside it. Records one by one, the core refuses the first (not JSON), as it
  // does without the joined form.
  const records = ['{"a":1}\uD83D', '\uDE00{"b":2}', '{"c":3}'];
  await expect(received("main.joined.t2", records)).rejects.toMatchObject({
    code: "invalid_argument",
    message: expect.stringMatching(/record 0: not valid JSON/),
  });
});

/** `count` records of about `size` UTF-8 bytes, each starting and ending with a character of 2 to 4 bytes. */
function edgy(count: number, size: number): string[] {
  const edges = ["é", "☃", "😀", "𝄞"];
  return Array.from({ length: count }, (_, i) => {
    const first = edges[i % 4] as string;
    const last = edges[(i + 1) % 4] as string;
    return `${first}${i}:${"x".repeat(size - 20)}${last}`;
  });
}

it("cuts records out of several chunks, in order, whatever characters meet at the chunks' edges", async () => {
  const fallback = oneByOne();
  // About 300 KB: several chunks, their edges between records of different sizes and edge characters.
  const records = [...edgy(150, 900), ...edgy(80, 2000), ...edgy(5, 30)];
  const got = await received("main.joined.t3", [records.slice(0, 100), ...records.slice(100)], lenient);
  expect(got).toEqual(records);
  expect(fallback).not.toHaveBeenCalled();
});

it("sends a record longer than a chunk as a chunk of its own", async () => {
  const fallback = oneByOne();
  const records = [...edgy(3, 100), `é${"y".repeat(200_000)}😀`, ...edgy(3, 40_000)];
  const got = await received("main.joined.t4", [records], lenient);
  expect(got).toEqual(records);
  expect(fallback).not.toHaveBeenCalled();
});

it("keeps lone surrogates at a chunk's edge apart, as each record alone", async () => {
  // Each chunk crosses alone, so a lone surrogate ending one chunk and one starting the next are each
  // U+FFFD, as measured record by record: the chunks' cut holds.
  const fallback = oneByOne();
  const long = "z".repeat(70_000);
  const records = [`a${long}\uD83D`, `\uDE00b${long}`, "c\uDE00", "\uD83Dd"];
  const got = await received("main.joined.t5", [records], lenient);
  expect(got).toEqual([`a${long}\uFFFD`, `\uFFFDb${long}`, "c\uFFFD", "\uFFFDd"]);
  expect(fallback).not.toHaveBeenCalled();
});

it("sends records one by one when lone surrogates pair up in a chunk, each as it was given", async () => {
  const fallback = oneByOne();
  const records = ["a\uD83D", "\uDE00b", "c\uDE00", "\uD83Dd"];
  const got = await received("main.joined.t6", records, lenient);
  expect(got).toEqual(["a\uFFFD", "\uFFFDb", "c\uFFFD", "\uFFFDd"]);
  expect(fallback).toHaveBeenCalled();
});
