import { describe, expect, it } from "vitest";
import { GrpcStatusCode } from "../status.js";
import { openJsonStream } from "../test-support/test-stream.js";
import { useMockServer } from "./index.js";

const server = useMockServer();
const TABLE = "main.app.ends";

function failureOf(assertion: () => void): Error & { actual?: unknown; expected?: unknown } {
  try {
    assertion();
  } catch (error) {
    return error as Error & { actual?: unknown; expected?: unknown };
  }
  throw new Error("the assertion passed");
}

describe("toHaveEndedWith", () => {
  it("matches a server end by code, by code and details, or by a matcher on details", async () => {
    server.script(TABLE, [
      { fail: { code: GrpcStatusCode.UNAVAILABLE, details: "maintenance" }, after: { records: 1 } },
    ]);
    const stream = await openJsonStream(server, TABLE);
    stream.json(0n, '{"n":1}');
    expect((await stream.status).code).toBe(GrpcStatusCode.UNAVAILABLE);
    stream.close();
    const table = server.table(TABLE);
    expect(table).toHaveEndedWith(GrpcStatusCode.UNAVAILABLE);
    expect(table).toHaveEndedWith({ code: GrpcStatusCode.UNAVAILABLE, details: "maintenance" });
    expect(table).toHaveEndedWith({ code: 14, details: expect.stringContaining("maint") });
    expect(table).toHaveEndedWith({ by: "server" });
    expect(table).not.toHaveEndedWith(GrpcStatusCode.OK);
    expect(table).not.toHaveEndedWith({ by: "client" });

    const error = failureOf(() => expect(table).toHaveEndedWith({ code: GrpcStatusCode.OK }));
    expect(error.message).toMatch(
      /^expected the latest connection of table main\.app\.ends \(id \d+; the table had 1 connection\) to have ended by the server with OK \(0\); it ended by the server with UNAVAILABLE \(14\) "maintenance"$/,
    );
    // Only the fields asked about, so the diff is about the code.
    expect(error.actual).toEqual({ by: "server", code: GrpcStatusCode.UNAVAILABLE });
    expect(error.expected).toEqual({ by: "server", code: GrpcStatusCode.OK });

    const negated = failureOf(() => expect(table).not.toHaveEndedWith(14));
    expect(negated.message).toMatch(/not to have ended by the server with UNAVAILABLE \(14\), but it did$/);
    expect([negated.actual, negated.expected]).toEqual([undefined, undefined]);
  });

  it("matches a client's half-close, and shows the whole end when another party ended it", async () => {
    const stream = await openJsonStream(server, TABLE);
    stream.end();
    expect((await stream.status).code).toBe(GrpcStatusCode.OK);
    stream.close();
    const table = server.table(TABLE);
    await table.connections.at(-1)?.ended;
    expect(table).toHaveEndedWith({ by: "client", how: "half-closed" });
    expect(table).toHaveEndedWith({ by: "client" });
    const error = failureOf(() => expect(table).toHaveEndedWith(GrpcStatusCode.OK));
    expect(error.message).toMatch(/; it ended by the client \(half-closed\)$/);
    expect(error.actual).toEqual({ by: "client", how: "half-closed" });
  });

  it("judges the latest connection only", async () => {
    server.script(TABLE, [{ failCreate: GrpcStatusCode.PERMISSION_DENIED }]);
    const refused = await openJsonStream(server, TABLE).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    const stream = await openJsonStream(server, TABLE);
    stream.cancel();
    stream.close();
    const table = server.table(TABLE);
    await table.connections.at(-1)?.ended;
    expect(table).toHaveConnections(2);
    expect(table).toHaveEndedWith({ by: "client", how: "cancelled" });
    expect(table).not.toHaveEndedWith(GrpcStatusCode.PERMISSION_DENIED);
  });

  it("fails on a live connection, or on none, saying which", async () => {
    expect(() => expect(server.table(TABLE)).toHaveEndedWith(0)).toThrow(
      "expected a connection of table main.app.ends to have ended by the server with OK (0); no connection named the table",
    );
    const stream = await openJsonStream(server, TABLE);
    const error = failureOf(() => expect(server.table(TABLE)).toHaveEndedWith(0));
    expect(error.message).toMatch(/; it is still live \(await its `ended` first\)$/);
    expect(error.actual).toBeUndefined();
    expect(error.expected).toEqual({ by: "server", code: 0 });
    stream.cancel();
    stream.close();
  });
});
