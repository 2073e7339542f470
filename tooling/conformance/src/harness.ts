import type {
  BackendCapabilities,
  BackendConfig,
  CapabilityGap,
  CreateBackend,
  HeadersContext,
  HeadersProvider,
  OpenStreamContext,
  StreamOpener,
  StreamOptions,
  TableDescriptor,
  WireStream,
} from "@zerobus/core";
import { resolveStreamOptions, silentLogger } from "@zerobus/core";
import { StreamRegistry } from "@zerobus/core/internal";
import type { MockServer, MockServerOptions } from "@zerobus/mock-server";
import { createMockServer } from "@zerobus/mock-server";
import { afterAll, afterEach, beforeAll, it } from "vitest";
import type { ConformanceTag } from "./conformance-tag.js";

/**
 * Options every scenario starts from: short backoffs and timeouts so failures show in milliseconds, not the
 * production minutes. A scenario overrides what it tests.
 */
export const fastOptions: StreamOptions = {
  recoveryBackoffMs: 30,
  recoveryTimeoutMs: 3_000,
  recoveryRetries: 3,
  flushTimeoutMs: 15_000,
  serverLackOfAckTimeoutMs: 10_000,
};

/** What `openStream` of the harness takes besides the table. */
export interface OpenOptions extends Omit<OpenStreamContext, "seed"> {
  options?: StreamOptions;
  /** Defaults to a provider that fetches a fresh token from the mock server and records each call. */
  provider?: HeadersProvider;
  descriptorProto?: Uint8Array;
  /** The opener to open it with; defaults to the test's {@link Harness.streams}. */
  via?: StreamOpener;
}

/** What the suite tests: an opener of streams per test, built from a backend config. */
export type CreateOpener = (config: BackendConfig) => StreamOpener;

/** The core stream over a backend, as production code uses it: a {@link StreamRegistry} per backend. */
export function overBackend(createBackend: CreateBackend): CreateOpener {
  return (config) =>
    new StreamRegistry(createBackend(config), { logger: config.logger, endpoint: config.endpoint });
}

/** The per-file state every scenario uses: the mock server, an opener of streams per test, cleanup. */
export interface Harness {
  /** The mock server of this file (reset after every test). */
  readonly server: MockServer;
  readonly capabilities: BackendCapabilities;
  /** A fresh `catalog.schema.table` name, unique in the run. */
  table(): string;
  /** The opener of the current test (created on first use, closed after the test with its streams). */
  streams(): StreamOpener;
  /**
   * Another opener of the same kind that connects to `endpoint` (a fault proxy in front of the mock
   * server, say) instead of the server itself; closed after the test unless closed before.
   */
  streamsAt(endpoint: string): StreamOpener;
  /** Opens a stream with the current test's opener with `fastOptions` under the given options. */
  open(table: string, options?: OpenOptions): Promise<WireStream>;
  /** The reasons the default provider was called with, per table, in order. */
  reasons(table: string): HeadersContext["reason"][];
  /** The default provider: a fresh token from the mock server per call; records the reason. */
  provider(): HeadersProvider;
}

/** Whether the scenarios of a tag run in this conformance run. */
export type TagFilter = (tag: ConformanceTag) => boolean;

let tableCounter = 0;

/** Sets up the mock server and per-test cleanup for the scenarios registered in the calling `describe`. */
export function useHarness(createOpener: CreateOpener, serverOptions: MockServerOptions = {}): Harness {
  let server: MockServer | undefined;
  let current: StreamOpener | undefined;
  let others: StreamOpener[] = [];
  let streams: WireStream[] = [];
  let capabilities: BackendCapabilities = {};
  const reasons = new Map<string, HeadersContext["reason"][]>();

  beforeAll(async () => {
    server = await createMockServer(serverOptions);
  });
  afterEach(async () => {
    await Promise.allSettled(streams.map((stream) => stream.close({ signal: AbortSignal.timeout(2_000) })));
    await current?.close();
    await Promise.allSettled(others.map((opener) => opener.close()));
    others = [];
    streams = [];
    current = undefined;
    reasons.clear();
    server?.reset();
  });
  afterAll(async () => {
    await server?.close();
  });

  const openerFor = (endpoint: string) =>
    createOpener({
      endpoint,
      allowInsecure: true,
      workspaceId: "1234567890123456",
      logger: silentLogger,
      ...(harness.server.ca ? { tls: { ca: harness.server.ca } } : {}),
    });
  const harness: Harness = {
    get server() {
      if (!server) throw new Error("the mock server starts in beforeAll");
      return server;
    },
    get capabilities() {
      return capabilities;
    },
    table: () => `main.conformance.t${++tableCounter}_${process.pid}`,
    streams() {
      current ??= openerFor(harness.server.endpoint);
      capabilities = current.capabilities;
      return current;
    },
    streamsAt(endpoint) {
      const opener = openerFor(endpoint);
      others.push(opener);
      return opener;
    },
    provider: () => ({
      getHeaders(context) {
        const list = reasons.get(context.tableName) ?? [];
        list.push(context.reason);
        reasons.set(context.tableName, list);
        return harness.server.headers(context.tableName);
      },
    }),
    reasons: (table) => reasons.get(table) ?? [],
    async open(tableName, { options, provider, descriptorProto, via, ...context } = {}) {
      const table: TableDescriptor = descriptorProto ? { tableName, descriptorProto } : { tableName };
      const resolved = resolveStreamOptions(
        { ...fastOptions, ...options },
        { hasDescriptor: !!descriptorProto },
      );
      const opener = via ?? harness.streams();
      const stream = await opener.openStream(table, resolved, provider ?? harness.provider(), context);
      streams.push(stream);
      return stream;
    },
  };
  return harness;
}

/**
 * A test of a Part A behaviour a backend may declare missing (`capabilities`). Where the backend declares
 * the gap, the same test runs as `it.fails`: it must fail, so the declaration stays true, and the day the
 * gap closes the run says so.
 */
export function itGives(
  harness: Harness,
  gap: CapabilityGap,
  name: string,
  fn: () => Promise<void>,
  timeout?: number,
): void {
  it(
    name,
    async () => {
      harness.streams();
      const reason = harness.capabilities[gap];
      if (reason === undefined) return fn();
      let failed = false;
      try {
        await fn();
      } catch {
        failed = true;
      }
      if (!failed)
        throw new Error(
          `the backend declares the gap ${gap} (${reason}) but the behaviour works: remove the gap`,
        );
    },
    timeout,
  );
}
