import { generateTls } from "@zerobus/mock-server";

/** PEM material of a throwaway CA and a leaf for `localhost` and `127.0.0.1` signed by it. */
export interface TestTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * A CA and a server certificate made in memory by the mock server's generator (the one X.509 library of the
 * repository, node-forge; no `openssl`). A separate CA, not a self-signed leaf, because that is what
 * `NODE_EXTRA_CA_CERTS` and real deployments trust.
 */
export async function createTestTls(): Promise<TestTls> {
  const { ca, cert, key } = await generateTls();
  return { caPem: ca, certPem: cert, keyPem: key };
}
