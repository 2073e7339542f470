/** Where a bench client streams: the bench server's port, and its CA when the server speaks TLS. */
export interface BenchTarget {
  readonly port: number;
  /** PEM of the CA that signed the server's certificate; absent for a plaintext server. */
  readonly ca?: string;
  /** A file holding {@link ca} (the official binary reads its CA from `SSL_CERT_FILE`). */
  readonly caFile?: string;
}

/** `https://127.0.0.1:<port>` with a CA, else `http://…`. */
export function endpointOf(target: BenchTarget): string {
  return `${target.ca === undefined ? "http" : "https"}://127.0.0.1:${target.port}`;
}

/** A client that cannot run here (its addon is not built, or not published for this platform). */
export class ClientUnavailable extends Error {
  override readonly name = "ClientUnavailable";
}
