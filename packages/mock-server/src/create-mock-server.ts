import { createServer as createNetServer, type Server as NetServer, type Socket } from "node:net";
import { Server, ServerCredentials, type ServerDuplexStream } from "@grpc/grpc-js";
import { TABLE_NAME_HEADER } from "./grpc/check-create.js";
import { type LiveConnection, MockConnection } from "./grpc/mock-connection.js";
import type { ServerContext } from "./grpc/server-context.js";
import { zerobusServerDefinition } from "./grpc/service-definition.js";
import { TableState } from "./grpc/table-state.js";
import type { MockServer } from "./mock-server.js";
import { DEFAULT_MAX_MESSAGE_BYTES, type MockServerOptions } from "./mock-server-options.js";
import { DEFAULT_CLIENT_SECRET, TokenEndpoint } from "./oauth/token-endpoint.js";
import { TOKEN_PATH } from "./oauth/token-http-path.js";
import { startTokenHttpServer } from "./oauth/token-http-server.js";
import type { RecordedConnection, SentResponse } from "./recording/recorded-types.js";
import type { TableRecording } from "./recording/table-recording.js";
import { DeclaredTables } from "./schema/declared-tables.js";
import { type AckPolicy, validateAckPolicy } from "./script/ack-policy.js";
import { GrpcStatusCode } from "./status.js";
import { generateTls } from "./tls/generate-tls.js";

/**
 * Starts a mock Zerobus server: the `EphemeralStream` gRPC service (plaintext or TLS) and the OAuth token
 * endpoint over HTTP, both on loopback ports. It checks what the real service checks, records every
 * connection and request per table, and follows scripts for fault injection.
 *
 * @example
 * ```ts
 * const server = await createMockServer();
 * server.script("main.default.events", [{ failCreate: GrpcStatusCode.UNAVAILABLE }]);
 * // … point the code under test at server.endpoint / server.workspaceUrl with server.credentials …
 * await server.table("main.default.events").waitForRecords(3);
 * server.table("main.default.events").assertRecords(['{"a":1}', '{"a":2}', '{"a":3}']);
 * await server.close();
 * ```
 */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const host = options.host ?? "127.0.0.1";
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const initialAckPolicy: AckPolicy = validateAckPolicy(options.ackPolicy ?? "immediate");
  let defaultAckPolicy = initialAckPolicy;
  const oauth = new TokenEndpoint(options.oauth);
  const tables = new Map<string, TableState>();
  const recordings = new Map<string, TableRecording>();
  const live = new Map<number, MockConnection>();
  let connections: RecordedConnection[] = [];
  let connectionCount = 0;
  const sockets = new Map<string, Socket>();
  // Before any port is taken: a bad declaration throws here, naming the table and the column.
  const declaredTables = new DeclaredTables(options.tables, options.undeclaredTables);

  const tableState = (name: string): TableState => {
    let state = tables.get(name);
    if (!state) {
      state = new TableState(name);
      tables.set(name, state);
      recordings.set(name, state.recording);
    }
    return state;
  };
  const liveOf = (table?: string): MockConnection[] =>
    [...live.values()].filter(
      (connection) => table === undefined || connection.table?.recording.name === table,
    );

  const context: ServerContext = {
    acceptAnyToken: options.acceptAnyToken ?? false,
    maxMessageBytes,
    checks: { tableHeader: true, offsets: true, records: true, ...options.checks },
    tokens: oauth.store,
    declaredTables,
    keepRecords: options.keepRecords ?? true,
    log: options.log ?? (() => undefined),
    defaultAckPolicy: () => defaultAckPolicy,
    table: tableState,
    dropTransport(peer) {
      const socket = sockets.get(peer);
      if (!socket) return false;
      // Every stream multiplexed on that HTTP/2 connection goes down with it.
      for (const other of [...live.values()]) if (other.peer === peer) other.markDropped();
      // After what was written in this turn (an ack the step just sent, say) reached the socket: an ack
      // recorded as sent must have been sent.
      setImmediate(() => socket.destroy());
      return true;
    },
    connectionEnded(id) {
      live.delete(id);
    },
  };

  const tls = options.tls ? await generateTls() : undefined;
  const grpcServer = new Server({
    // Far above the service limit, so the handler itself refuses oversized requests (and records them).
    // Beyond it grpc-js refuses them itself (README): a mock must not buffer unbounded requests.
    "grpc.max_receive_message_length": Math.max(4 * maxMessageBytes, 64 * 1024 * 1024),
  });
  grpcServer.addService(zerobusServerDefinition, {
    EphemeralStream: (call: ServerDuplexStream<Buffer, SentResponse>) => {
      connectionCount += 1;
      const connection = new MockConnection(call, context, connectionCount);
      live.set(connectionCount, connection);
      connections.push(connection.recording);
      connection.start();
    },
  });
  const credentials = tls
    ? ServerCredentials.createSsl(
        null,
        [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }],
        false,
      )
    : ServerCredentials.createInsecure();
  // Our own TCP listener hands sockets to grpc-js, so a test can destroy the one under a stream (`drop`).
  const injector = grpcServer.createConnectionInjector(credentials);
  const netServer: NetServer = createNetServer((socket) => {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    sockets.set(peer, socket);
    socket.on("close", () => sockets.delete(peer));
    injector.injectConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    netServer.once("error", reject);
    netServer.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (netServer.address() as { port: number }).port;
  const tokenServer = await startTokenHttpServer(oauth, host, options.tokenPort ?? 0).catch(async (error) => {
    netServer.close();
    throw error;
  });
  // An IPv6 literal goes in brackets in a host:port and in a URL (`[::1]:50051`).
  const address = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  // A TLS client given an IP as server name makes Node print DEP0123; the certificate covers localhost,
  // so the endpoint names it. `address` keeps the IP: grpc-js sends no server name for an IP target.
  const endpointHost = tls && host === "127.0.0.1" ? `localhost:${port}` : address;

  const server: MockServer = {
    endpoint: `${tls ? "https" : "http"}://${endpointHost}`,
    address,
    port,
    workspaceUrl: tokenServer.url,
    tokenUrl: `${tokenServer.url}${TOKEN_PATH}`,
    ca: tls?.ca,
    credentials: {
      clientId: oauth.clientId,
      clientSecret: options.oauth?.clientSecret ?? DEFAULT_CLIENT_SECRET,
    },
    oauth,
    tables: recordings,
    get connections() {
      return connections;
    },
    table: (name) => tableState(name).recording,
    live: (table): LiveConnection[] => liveOf(table),
    declareTable: (name, declaration) => declaredTables.declare(name, declaration),
    script: (table, steps, scriptOptions) => tableState(table).setScript(steps, scriptOptions),
    setAckPolicy(table, policy) {
      if (table === undefined) defaultAckPolicy = validateAckPolicy(policy);
      else tableState(table).ackPolicy = validateAckPolicy(policy);
    },
    releaseAcks: (table) => countEach(liveOf(table), (connection) => connection.releaseAcks()),
    endConnections: (table, status) => countEach(liveOf(table), (connection) => connection.end(status)),
    dropConnections: (table) => countEach(liveOf(table), (connection) => connection.drop()),
    issueToken: (table, tokenOptions) => oauth.issueToken(table, tokenOptions),
    headers(table, tokenOptions) {
      const { token } = oauth.issueToken(table, tokenOptions);
      return { authorization: `Bearer ${token}`, [TABLE_NAME_HEADER]: table };
    },
    revokeTokens: (filter) => oauth.revokeTokens(filter),
    expireTokens: (filter) => oauth.expireTokens(filter),
    reset() {
      for (const connection of [...live.values()])
        connection.end({ code: GrpcStatusCode.UNAVAILABLE, details: "mock server reset" });
      tables.clear();
      recordings.clear();
      connections = [];
      defaultAckPolicy = initialAckPolicy;
      declaredTables.reset();
      oauth.reset();
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
    async close() {
      for (const connection of [...live.values()]) connection.markDropped();
      // Sockets first: clients then see the server go away (UNAVAILABLE), not a cancel from it.
      for (const socket of sockets.values()) socket.destroy();
      grpcServer.forceShutdown();
      injector.destroy();
      await Promise.all([
        new Promise<void>((resolve) => netServer.close(() => resolve())),
        tokenServer.close(),
      ]);
    },
  };
  return server;
}

function countEach<T>(items: readonly T[], action: (item: T) => void): number {
  for (const item of items) action(item);
  return items.length;
}
