import { resolveStreamOptions, ZerobusError } from "@zerobus/core";
import type { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer } from "@zerobus/mock-server";
import { createMockServer, GrpcStatusCode } from "@zerobus/mock-server";
import { localStreams } from "@zerobus/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBackend, errorFromInfo, NativeCoreError } from "./index.js";

/**
 * Every error the Rust core reports keeps, as its `cause`, what the core said: its error variant and,
 * when it reported a gRPC status, the status (`code` and `details`, named as on grpc-js's `ServiceError`,
 * the cause backend-js keeps), so a caller can read the status on either backend. Never a secret.
 */
let server: MockServer;
const backends: StreamRegistry[] = [];
let tables = 0;
const nextTable = () => `main.native_cause.t${++tables}`;
const json = (overrides = {}) => resolveStreamOptions(overrides, { hasDescriptor: false });

beforeAll(async () => {
  server = await createMockServer();
});
afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.close()));
  await server.close();
});

function backend(): StreamRegistry {
  const created = localStreams(createBackend, server.endpoint);
  backends.push(created);
  return created;
}

async function refusedCreation(
  status: number,
  details: string,
): Promise<{ error: ZerobusError; token: string }> {
  const table = nextTable();
  server.script(table, [
    { failCreate: { code: status, details } },
    { failCreate: { code: status, details } },
  ]);
  const headers = await server.headers(table);
  const error = await backend()
    .openStream({ tableName: table }, json({ recovery: false }), { getHeaders: () => headers })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ZerobusError);
  return { error: error as ZerobusError, token: String(headers.authorization).replace(/^Bearer /, "") };
}

describe("the cause of a native error", () => {
  it("keeps the status of a creation refused with PERMISSION_DENIED", async () => {
    const { error, token } = await refusedCreation(GrpcStatusCode.PERMISSION_DENIED, "no access");
    expect(error).toMatchObject({ code: "permission_denied", retryable: false, grpcCode: 7 });
    expect(error.cause).toBeInstanceOf(NativeCoreError);
    expect(error.cause).toMatchObject({
      name: "NativeCoreError",
      variant: "CreateStreamError",
      code: 7,
      details: "no access",
      message: "CreateStreamError: 7 PERMISSION_DENIED: no access",
    });
    expect(JSON.stringify(error.toJSON())).toContain("PERMISSION_DENIED");
    expect(JSON.stringify(error.toJSON())).not.toContain(token);
    expect(String((error.cause as Error).stack)).not.toContain(token);
  });

  it.each([
    [GrpcStatusCode.INVALID_ARGUMENT, "invalid_argument"],
    [GrpcStatusCode.NOT_FOUND, "not_found"],
    [GrpcStatusCode.UNAUTHENTICATED, "unauthenticated"],
    [GrpcStatusCode.OUT_OF_RANGE, "out_of_range"],
    [GrpcStatusCode.UNIMPLEMENTED, "unimplemented"],
    [GrpcStatusCode.RESOURCE_EXHAUSTED, "resource_exhausted"],
    [GrpcStatusCode.UNAVAILABLE, "unavailable"],
  ])("keeps the status of a creation refused with status %i (%s)", async (status, code) => {
    const { error, token } = await refusedCreation(status, `refused ${status}`);
    expect(error).toMatchObject({ code, grpcCode: status });
    expect(error.cause).toMatchObject({
      variant: "CreateStreamError",
      code: status,
      details: `refused ${status}`,
    });
    expect(JSON.stringify(error.toJSON())).not.toContain(token);
  });

  it("keeps what the core reported when a live stream fails", async () => {
    const table = nextTable();
    server.setAckPolicy(table, "never");
    server.script(table, [
      { fail: { code: GrpcStatusCode.INVALID_ARGUMENT, details: "bad row" }, after: { records: 1 } },
    ]);
    const stream = await backend().openStream({ tableName: table }, json(), {
      getHeaders: () => server.headers(table),
    });
    await stream.ingestRecord('{"bad":1}');
    const error = (await stream.flush().catch((e: unknown) => e)) as ZerobusError;
    expect(error).toMatchObject({ code: "invalid_argument", grpcCode: 3 });
    // The core turns a live INVALID_ARGUMENT into its own InvalidArgument variant, without the status.
    expect(error.cause).toBeInstanceOf(NativeCoreError);
    expect((error.cause as NativeCoreError).variant).toBe("InvalidArgument");
    expect((error.cause as Error).message).toContain("bad row");
  });

  it.each([
    [GrpcStatusCode.UNAVAILABLE, "unavailable", 'down for "maintenance"\n(back soon)'],
    [GrpcStatusCode.FAILED_PRECONDITION, "failed_precondition", "the operation's state is wrong"],
  ])(
    "keeps the status of a retryable live failure the core logged before the reconnection the binding refused (%i)",
    async (status, code, details) => {
      // With recovery on, the Rust core turns this failure into a reconnection (refused by the binding):
      // the status survives only in its log line, and must come out exactly as with recovery off.
      const table = nextTable();
      server.setAckPolicy(table, "never");
      // Both connections the stream's budget allows (1 + recoveryRetries) fail the same way.
      const failure = { fail: { code: status, details }, after: { records: 1 } };
      server.script(table, [failure, failure]);
      const stream = await backend().openStream(
        { tableName: table },
        json({ recoveryRetries: 0, recoveryBackoffMs: 10, recoveryBackoffMaxMs: 10 }),
        { getHeaders: () => server.headers(table) },
      );
      await stream.ingestRecord('{"a":1}');
      const error = (await stream.flush().catch((e: unknown) => e)) as ZerobusError;
      expect(error).toBeInstanceOf(ZerobusError);
      expect(error).toMatchObject({ code, grpcCode: status, retryable: true });
      expect(error.cause).toMatchObject({ variant: "StreamClosedError", code: status, details });
      expect(server.table(table).connections).toHaveLength(2);
    },
  );

  it("is absent when the binding raised the error itself", () => {
    const error = errorFromInfo({
      code: "invalid_state",
      retryable: false,
      message: "the stream was already opened",
      fromHeadersProvider: false,
    });
    expect(error.cause).toBeUndefined();
  });
});
