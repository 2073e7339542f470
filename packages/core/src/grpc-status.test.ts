import { once } from "node:events";
import { connect, createServer } from "node:net";
import { describe, expect, it } from "vitest";
import type { ZerobusErrorCode } from "./error-code.js";
import {
  codeForGrpcStatus,
  errorFromGrpcStatus,
  errorFromNetworkError,
  GrpcStatus,
  isRetryableGrpcStatus,
} from "./grpc-status.js";
import { isZerobusError } from "./zerobus-error.js";

// PROTOCOL.md A.3 / B §5.2 for statuses the server sent: OK (a clean end) and CANCELLED count as
// retryable because the server, not the caller, ended the stream.
const table: [name: keyof typeof GrpcStatus, status: number, code: ZerobusErrorCode, retryable: boolean][] = [
  ["OK", 0, "stream_closed", true],
  ["CANCELLED", 1, "cancelled", true],
  ["UNKNOWN", 2, "unknown", true],
  ["INVALID_ARGUMENT", 3, "invalid_argument", false],
  ["DEADLINE_EXCEEDED", 4, "deadline_exceeded", true],
  ["NOT_FOUND", 5, "not_found", false],
  ["ALREADY_EXISTS", 6, "already_exists", true],
  ["PERMISSION_DENIED", 7, "permission_denied", false],
  ["RESOURCE_EXHAUSTED", 8, "resource_exhausted", true],
  ["FAILED_PRECONDITION", 9, "failed_precondition", true],
  ["ABORTED", 10, "aborted", true],
  ["OUT_OF_RANGE", 11, "out_of_range", false],
  ["UNIMPLEMENTED", 12, "unimplemented", false],
  ["INTERNAL", 13, "internal", true],
  ["UNAVAILABLE", 14, "unavailable", true],
  ["DATA_LOSS", 15, "data_loss", true],
  ["UNAUTHENTICATED", 16, "unauthenticated", false],
];

describe("gRPC status mapping", () => {
  it("covers all 17 statuses", () => {
    expect(table.map(([name]) => name)).toEqual(Object.keys(GrpcStatus));
  });

  describe.each(table)("%s (%i)", (name, status, code, retryable) => {
    it(`has the wire number ${status}`, () => {
      expect(GrpcStatus[name]).toBe(status);
    });

    it(`maps to ${code}, retryable ${retryable}`, () => {
      expect(codeForGrpcStatus(status)).toBe(code);
      expect(isRetryableGrpcStatus(status)).toBe(retryable);
    });

    it("becomes a ZerobusError that keeps the gRPC code and the cause", () => {
      const cause = new Error("from the transport");
      const error = errorFromGrpcStatus(status, "details from the server", cause);
      expect(isZerobusError(error)).toBe(true);
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
      expect(error.grpcCode).toBe(status);
      expect(error.cause).toBe(cause);
      expect(error.message).toMatch(new RegExp(`^\\[${code}\\] .*details from the server$`));
    });
  });

  it("keeps INVALID_ARGUMENT as grpcCode 3 (PROTOCOL.md A.14)", () => {
    const error = errorFromGrpcStatus(GrpcStatus.INVALID_ARGUMENT, "Batch size exceeds maximum allowed size");
    expect(error).toMatchObject({ code: "invalid_argument", grpcCode: 3, retryable: false });
  });

  it("says the server ended the stream on OK", () => {
    expect(errorFromGrpcStatus(GrpcStatus.OK, "").message).toBe(
      "[stream_closed] the server ended the stream",
    );
    expect(errorFromGrpcStatus(GrpcStatus.OK, "bye").message).toBe(
      "[stream_closed] the server ended the stream: bye",
    );
  });

  it("names the status when the server gave no details", () => {
    expect(errorFromGrpcStatus(GrpcStatus.UNAVAILABLE, "").message).toBe("[unavailable] gRPC status 14");
  });

  it("has no cause property when none is given", () => {
    expect("cause" in errorFromGrpcStatus(GrpcStatus.INTERNAL, "x")).toBe(false);
  });

  it.each([17, 99, -1, 2.5, Number.NaN])(
    "maps the out-of-range status %s to a retryable unknown",
    (status) => {
      expect(codeForGrpcStatus(status)).toBe("unknown");
      expect(isRetryableGrpcStatus(status)).toBe(true);
      expect(errorFromGrpcStatus(status, "odd")).toMatchObject({ code: "unknown", grpcCode: status });
    },
  );
});

describe("errorFromNetworkError", () => {
  const socketCodes = [
    "ECONNREFUSED",
    "ECONNRESET",
    "ECONNABORTED",
    "EPIPE",
    "ETIMEDOUT",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ENETDOWN",
    "EHOSTDOWN",
    "UND_ERR_SOCKET",
    "UND_ERR_CONNECT_TIMEOUT",
    "ERR_HTTP2_STREAM_ERROR",
    "ERR_HTTP2_SESSION_ERROR",
    "ERR_HTTP2_GOAWAY_SESSION",
  ];

  it.each(socketCodes)("maps %s to a retryable unavailable with the original as cause", (code) => {
    const original = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
    const error = errorFromNetworkError(original, "connecting to the token endpoint");
    expect(error).toMatchObject({ code: "unavailable", retryable: true });
    expect(error?.cause).toBe(original);
    expect(error?.message).toBe(`[unavailable] connecting to the token endpoint: network error ${code}`);
  });

  it("finds the code nested in a cause chain", () => {
    const socket = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const wrapped = new Error("outer", { cause: new Error("middle", { cause: socket }) });
    expect(errorFromNetworkError(wrapped, "x")).toMatchObject({ code: "unavailable", retryable: true });
    expect(errorFromNetworkError(wrapped, "x")?.cause).toBe(wrapped);
  });

  it("finds the code inside an AggregateError (a dual-stack connect)", () => {
    const errors = [new Error("other"), Object.assign(new Error("ipv6"), { code: "ENETUNREACH" })];
    expect(errorFromNetworkError(new AggregateError(errors), "x")?.message).toContain("ENETUNREACH");
  });

  it.each([
    ["a plain error", new Error("boom")],
    ["a non-network code", Object.assign(new Error("bad"), { code: "ERR_INVALID_ARG_TYPE" })],
    ["a numeric code", { code: 14 }],
    ["a string", "ECONNREFUSED"],
    ["null", null],
    ["undefined", undefined],
  ])("returns undefined for %s", (_label, value) => {
    expect(errorFromNetworkError(value, "x")).toBeUndefined();
  });

  it("stops on a cyclic cause chain", () => {
    const error = new Error("loop") as Error & { cause?: unknown };
    error.cause = error;
    expect(errorFromNetworkError(error, "x")).toBeUndefined();
  });

  it("maps a real refused connection", async () => {
    // Bind a port, then free it: nothing listens there any more, so the connect is refused.
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, "close");

    const socket = connect(port, "127.0.0.1");
    const [socketError] = await once(socket, "error");
    const error = errorFromNetworkError(socketError, `connecting to 127.0.0.1:${port}`);
    expect(error).toMatchObject({ code: "unavailable", retryable: true });
    expect(error?.message).toContain("ECONNREFUSED");

    // fetch reports the same failure as TypeError("fetch failed") with the socket error in `cause`.
    const fetchError = await fetch(`http://127.0.0.1:${port}/`).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(fetchError).toBeInstanceOf(TypeError);
    expect(errorFromNetworkError(fetchError, "token request")).toMatchObject({
      code: "unavailable",
      retryable: true,
      cause: fetchError,
    });
  });
});
