import { resolveStreamOptions } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend, loadNative, VERSION } from "./index.js";
import { sdkIdentifier } from "./sdk-identifier.js";

/**
 * PROTOCOL.md A.12 and B §2.1: the core builds the user agent from our identifier and `applicationName`;
 * the identifier is our own product token, `zerobus-node/<version>`, never the official SDK's
 * `zerobus-sdk-ts`, so the service's telemetry can tell the two apart.
 */
let server: MockServer;
const backends: StreamRegistry[] = [];
let tables = 0;
const coreVersion = loadNative().coreVersion();

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
  const table = `main.sdk_identifier.t${++tables}`;
  const stream = await backend.openStream(
    { tableName: table },
    resolveStreamOptions({}, { hasDescriptor: false }),
    { getHeaders: () => server.headers(table) },
  );
  await stream.close();
  return server.table(table).connections[0]?.metadata ?? {};
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("sdkIdentifier", () => {
  it("names our product, this package, the backend and the wrapped core", () => {
    expect(sdkIdentifier("2.9.0")).toBe(
      `zerobus-node/${VERSION} (@zerobus/backend-native/${VERSION}; backend=native; zerobus-sdk-rs/2.9.0)`,
    );
  });
});

describe("the headers the server receives from the native backend", () => {
  it("carry zerobus-node/<version> and the application in user-agent, and in x-zerobus-sdk", async () => {
    const metadata = await metadataOf("orders-loader/2.1");
    expect(metadata["user-agent"]).toMatch(
      new RegExp(`^${escaped(sdkIdentifier(coreVersion))} orders-loader/2\\.1 tonic/\\S+$`),
    );
    expect(metadata["user-agent"]).toMatch(
      /^zerobus-node\/\S+ \(@zerobus\/backend-native\/\S+; backend=native;/,
    );
    expect(metadata["x-zerobus-sdk"]).toBe(`zerobus-node/${VERSION}`);
  });

  it("leave the application out when none is given", async () => {
    const metadata = await metadataOf();
    expect(metadata["user-agent"]).toMatch(new RegExp(`^${escaped(sdkIdentifier(coreVersion))} tonic/\\S+$`));
    expect(JSON.stringify(metadata)).not.toContain("zerobus-sdk-ts");
  });
});
