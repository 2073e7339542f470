import { connect, createServer, type Socket } from "node:net";

/**
 * Test-only: one end of a TCP connection that keeps every byte it received and how the connection ended,
 * so proxy tests can check what crossed byte for byte.
 */
export class Peer {
  readonly #chunks: Buffer[] = [];
  readonly #arrivals: { bytes: number; at: number }[] = [];
  readonly #listeners = new Set<() => void>();
  #total = 0;
  /** Resolves when the other side half-closed (FIN). */
  readonly ended: Promise<void>;
  /** Resolves when the socket closed, with its error code (`ECONNRESET` after an RST), if any. */
  readonly closed: Promise<string | undefined>;
  /**
   * Resolves with `"end"` or an error code, whichever came first. After an RST with unread data, libuv may
   * report an end instead of ECONNRESET, so a test of a reset accepts either on the side that received.
   */
  readonly gone: Promise<string>;

  constructor(readonly socket: Socket) {
    let error: string | undefined;
    socket.on("data", (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#total += chunk.length;
      this.#arrivals.push({ bytes: this.#total, at: performance.now() });
      for (const listener of this.#listeners) listener();
    });
    socket.on("error", (cause: NodeJS.ErrnoException) => {
      error = cause.code;
    });
    this.ended = new Promise((resolve) => socket.once("end", resolve));
    this.closed = new Promise((resolve) => socket.once("close", () => resolve(error)));
    this.gone = Promise.race([this.ended.then(() => "end"), this.closed.then((code) => code ?? "close")]);
  }

  /** Every byte received so far, in order. */
  get received(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** `performance.now()` when the received byte count first reached `bytes`. */
  arrivalOf(bytes: number): number | undefined {
    return this.#arrivals.find((arrival) => arrival.bytes >= bytes)?.at;
  }

  /** Resolves once at least `bytes` bytes arrived; rejects after `timeoutMs`. */
  async waitForBytes(bytes: number, timeoutMs = 5000): Promise<Buffer> {
    if (this.#total >= bytes) return this.received;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        reject(new Error(`${this.received.length} of ${bytes} bytes after ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        if (this.#total < bytes) return;
        this.#listeners.delete(check);
        clearTimeout(timer);
        resolve();
      };
      this.#listeners.add(check);
    });
    return this.received;
  }
}

/** Test-only: a TCP server on 127.0.0.1 keeping a `Peer` per accepted connection; `echo` sends back what it gets. */
export async function startPeerServer(options: { echo?: boolean } = {}) {
  const peers: Peer[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    peers.push(new Peer(socket));
    if (options.echo) socket.pipe(socket);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    address: `127.0.0.1:${port}`,
    peers,
    /** The peer of the `index`-th accepted connection, once it arrived. */
    async peer(index: number): Promise<Peer> {
      while (peers[index] === undefined) await new Promise<void>((resolve) => waiters.push(resolve));
      return peers[index];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const peer of peers) peer.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Test-only: a client `Peer` connected to `address` (`host:port`). */
export async function connectPeer(address: string): Promise<Peer> {
  const [host, port] = [address.slice(0, address.lastIndexOf(":")), Number(address.split(":").at(-1))];
  const socket = connect({ host, port, allowHalfOpen: true });
  const peer = new Peer(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return peer;
}

/** `size` bytes that differ from their neighbours, so a lost, repeated or reordered chunk shows. */
export function pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 7 + (index >> 8)) % 251;
  return bytes;
}
