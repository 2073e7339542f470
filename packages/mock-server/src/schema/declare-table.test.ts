import { afterEach, describe, expect, it } from "vitest";
import { createMockServer } from "../create-mock-server.js";
import type { MockServer } from "../mock-server.js";
import type { MockServerOptions } from "../mock-server-options.js";
import { GrpcStatusCode } from "../status.js";
import { openJsonStream, TestStream } from "../test-support/test-stream.js";
import type { TableDeclaration } from "./table-declaration.js";

const EVENTS = "main.app.events";
const OTHER = "main.app.other";
const servers: MockServer[] = [];

async function start(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await createMockServer(options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** How a JSON stream on `table` carrying `record` ends (NOT_FOUND at create, or after the record). */
async function endOfRecord(server: MockServer, table: string, record: object) {
  const stream = new TestStream(server.address, server.headers(table));
  stream.create(table);
  stream.json(0n, JSON.stringify(record));
  stream.end();
  const { code, details } = await stream.status;
  stream.close();
  return { code, details };
}

describe("a bad declaration", () => {
  it.each([
    [
      { columns: { device: "STRIN" } },
      'declared table main.app.events: column "device": unknown type "STRIN"',
    ],
    [
      { columns: { tags: "ARRAY<STRING" } },
      'declared table main.app.events: column "tags": expected ">" at position 12 of "ARRAY<STRING"',
    ],
    [{ columns: { n: { type: "INT", nullable: "no" } } }, 'column "n": nullable must be a boolean'],
    [{ columns: { n: { type: "INT NOT NULL", nullable: true } } }, 'column "n": NOT NULL and nullable: true'],
    [{ columns: {} }, "declared table main.app.events: a table needs at least one column"],
    [
      { descriptor: new Uint8Array([0xff]) },
      "declared table main.app.events: { descriptor }: descriptor_proto is not",
    ],
    [{ descriptor: "Row" }, "{ descriptor }: must be a protobuf-es message type"],
    [{ rows: {} }, "declared table main.app.events: expected { columns } or { descriptor }"],
  ])("throws a TypeError from createMockServer and declareTable: %j", async (declaration, message) => {
    const bad = declaration as unknown as TableDeclaration;
    await expect(createMockServer({ tables: { [EVENTS]: bad } })).rejects.toThrow(TypeError);
    await expect(createMockServer({ tables: { [EVENTS]: bad } })).rejects.toThrow(message);
    const server = await start();
    expect(() => server.declareTable(EVENTS, bad)).toThrow(TypeError);
    expect(() => server.declareTable(EVENTS, bad)).toThrow(message);
  });

  it("names a table whose name is not three parts, and a wrong undeclaredTables", async () => {
    await expect(createMockServer({ tables: { events: { columns: { a: "INT" } } } })).rejects.toThrow(
      'declared table "events": the name must be catalog.schema.table',
    );
    await expect(createMockServer({ undeclaredTables: "deny" as unknown as "refuse" })).rejects.toThrow(
      'undeclaredTables must be "accept" or "refuse", got "deny"',
    );
  });

  it("leaves the earlier declaration in force", async () => {
    const server = await start({ tables: { [EVENTS]: { columns: { device: "STRING" } } } });
    expect(() => server.declareTable(EVENTS, { columns: { device: "STRIN" } })).toThrow(TypeError);
    expect((await endOfRecord(server, EVENTS, { device: "d" })).code).toBe(GrpcStatusCode.OK);
  });
});

describe("declareTable", () => {
  it("applies to streams created afterwards", async () => {
    const server = await start({ undeclaredTables: "refuse" });
    expect((await endOfRecord(server, EVENTS, { device: "d" })).code).toBe(GrpcStatusCode.NOT_FOUND);
    server.declareTable(EVENTS, { columns: { device: "STRING" } });
    expect((await endOfRecord(server, EVENTS, { device: "d" })).code).toBe(GrpcStatusCode.OK);
    server.declareTable(EVENTS, { columns: { id: "BIGINT" } });
    expect((await endOfRecord(server, EVENTS, { device: "d" })).details).toBe(
      'record 0 of offset 0: unknown column "device" of main.app.events (columns: id)',
    );
  });

  it("is forgotten by reset(), which brings back the tables option's declarations", async () => {
    const server = await start({ tables: { [EVENTS]: { columns: { device: "STRING" } } } });
    server.declareTable(OTHER, { columns: { x: "INT" } });
    server.declareTable(EVENTS, { columns: { id: "BIGINT" } });
    expect((await endOfRecord(server, OTHER, { x: 1 })).code).toBe(GrpcStatusCode.OK);
    expect((await endOfRecord(server, EVENTS, { device: "d" })).code).toBe(GrpcStatusCode.INVALID_ARGUMENT);
    server.reset();
    expect((await endOfRecord(server, OTHER, { x: 1 })).code).toBe(GrpcStatusCode.NOT_FOUND);
    expect(await endOfRecord(server, EVENTS, { device: "d" })).toEqual({
      code: GrpcStatusCode.OK,
      details: "OK",
    });
  });

  it("on a server accepting undeclared tables, reset() forgets the checks and tables stay accepted", async () => {
    const server = await start();
    server.declareTable(EVENTS, { columns: { device: "STRING" } });
    const stream = await openJsonStream(server, EVENTS);
    stream.json(0n, '{"devise":"d"}');
    expect((await stream.status).code).toBe(GrpcStatusCode.INVALID_ARGUMENT);
    stream.close();
    server.reset();
    expect((await endOfRecord(server, EVENTS, { devise: "d" })).code).toBe(GrpcStatusCode.OK);
  });
});
