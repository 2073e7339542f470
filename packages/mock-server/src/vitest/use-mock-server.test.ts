import { connect } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { openJsonStream } from "../test-support/test-stream.js";
import { useMockServer } from "./index.js";

const TABLE = "main.hooks.events";
const ports: number[] = [];

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

// Registered before useMockServer, so it runs after its afterAll (vitest runs afterAll hooks last first).
afterAll(async () => {
  expect(ports.length).toBeGreaterThan(0);
  expect(await accepts(ports[0]!)).toBe(false);
  expect(() => server.table(TABLE)).toThrow(/runs from beforeAll to afterAll/);
});

const server = useMockServer({ oauth: { clientId: "hooks-client" } });
const atCollection = (() => {
  try {
    return server.port;
  } catch (error) {
    return error;
  }
})();

async function sendOne(record: string): Promise<void> {
  const stream = await openJsonStream(server, TABLE);
  stream.json(0n, record);
  await stream.acks(1);
  stream.cancel();
  stream.close();
}

describe("useMockServer", () => {
  it("throws when used while the file is collected", () => {
    expect(atCollection).toBeInstanceOf(Error);
    expect((atCollection as Error).message).toMatch(
      /^the server of useMockServer\(\) runs from beforeAll to afterAll: use it inside tests and hooks/,
    );
  });

  it("serves the tests with the options given", async () => {
    ports.push(server.port);
    expect(server.credentials.clientId).toBe("hooks-client");
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    expect("table" in server).toBe(true);
    await sendOne('{"n":1}');
    expect(server.table(TABLE)).toHaveDelivered([{ n: 1 }]);
  });

  it("is the same server in the next test, reset", async () => {
    ports.push(server.port);
    expect(ports[1]).toBe(ports[0]);
    expect(server.table(TABLE)).toHaveConnections(0);
    await sendOne('{"n":2}');
    expect(server.table(TABLE)).toHaveDeliveredExactly([{ n: 2 }]);
  });

  describe("with resetBeforeEach false, in a describe block", () => {
    const kept = useMockServer({}, { resetBeforeEach: false });

    it("is a server of the block's own", async () => {
      expect(kept.port).not.toBe(server.port);
      const stream = await openJsonStream(kept, TABLE);
      stream.json(0n, '{"n":3}');
      await stream.acks(1);
      stream.cancel();
      stream.close();
    });

    it("keeps the recordings across tests", () => {
      expect(kept.table(TABLE)).toHaveDelivered([{ n: 3 }]);
    });
  });
});
