import { resolveStreamOptions, ZerobusError } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend } from "./create-backend.js";
import { userAgent } from "./user-agent.js";
import { VERSION } from "./version.js";

/**
 * PROTOCOL.md A.12 and B §2.1: our own product token, `zerobus-node/<version>`, never the official SDK's
 * `zerobus-sdk-ts`, so the service's telemetry can tell the two apart; then this package and backend,
 * then the application's name.
 */
let server: MockServer;
const backends: StreamRegistry[] = [];
let tables = 0;

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.close()));
  await server.close();
});

async function metadataOf(applicationName?: string): Promise<Readonly<Record<string, string>>> {
  const backend = localStreams(createBackend, server.endpoint, {
    ...(applicationName === undefined ? {} : { applicationName }),
  });
  backends.push(backend);
  const table = `main.user_agent.t${++tables}`;
  const stream = await backend.openStream(
    { tableName: table },
    resolveStreamOptions({}, { hasDescriptor: false }),
    { getHeaders: () => server.headers(table) },
  );
  await stream.close();
  return server.table(table).connections[0]?.metadata ?? {};
}

describe("userAgent", () => {
  it("names our product, this package, the backend and the application", () => {
    expect(userAgent(undefined)).toBe(`zerobus-node/${VERSION} (@zerobus/backend-js/${VERSION}; backend=js)`);
    expect(userAgent("")).toBe(userAgent(undefined));
    expect(userAgent("orders-loader/2.1")).toBe(`${userAgent(undefined)} orders-loader/2.1`);
  });

  it("refuses an application name that is not printable ASCII", () => {
    expect(() => userAgent("bad\nname")).toThrow(ZerobusError);
  });
});

describe("the headers the server receives from backend-js", () => {
  it("carry zerobus-node/<version> in user-agent and x-zerobus-sdk", async () => {
    const metadata = await metadataOf("orders-loader/2.1");
    expect(metadata["user-agent"]).toMatch(
      new RegExp(
        `^zerobus-node/${VERSION} \\(@zerobus/backend-js/${VERSION}; backend=js\\) orders-loader/2\\.1 grpc-node-js/\\S+$`,
      ),
    );
    expect(metadata["x-zerobus-sdk"]).toBe(`zerobus-node/${VERSION}`);
  });

  it("leave the application out when none is given", async () => {
    const metadata = await metadataOf();
    expect(metadata["user-agent"]).toMatch(
      new RegExp(
        `^zerobus-node/${VERSION} \\(@zerobus/backend-js/${VERSION}; backend=js\\) grpc-node-js/\\S+$`,
      ),
    );
    expect(JSON.stringify(metadata)).not.toContain("zerobus-sdk-ts");
  });
});
