import { resolveStreamOptions } from "@zerobus/core";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createBackend } from "./index.js";

// A JSON request crosses into Rust as one joined string cut at each record's UTF-8 length (measured at
// accept); the binding refuses the cut when lone surrogates at records' edges pair up once joined, and the
// records then cross one by one. Either way each record arrives as it was given.

let server: MockServer;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await server.close();
});

async function received(table: string, calls: (string | string[])[]): Promise<string[]> {
  const streams = localStreams(createBackend, server.endpoint);
  const options = resolveStreamOptions({ validateRecords: false }, { hasDescriptor: false });
  const stream = await streams.openStream({ tableName: table }, options, {
    getHeaders: () => server.headers(table),
  });
  // Not awaited one by one: the calls coalesce into one request.
  await Promise.all(
    calls.map((call) => (typeof call === "string" ? stream.ingestRecord(call) : stream.ingestRecords(call))),
  );
  await stream.flush();
  await stream.close();
  await streams.close();
  return server.table(table).records.map((record) => (record.kind === "json" ? record.json : "(proto)"));
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
