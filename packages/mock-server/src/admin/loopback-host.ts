import { isIPv4, isIPv6 } from "node:net";

/** Whether `host` (a name or an address, IPv6 with or without brackets) only reaches this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIPv4(bare)) return bare.startsWith("127.");
  if (isIPv6(bare)) return bare === "::1" || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * The host part of an HTTP `Host` header (`127.0.0.1:8080`, `[::1]:8080`, `localhost`), or `undefined` when
 * the header is missing.
 */
export function hostOfHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const bracketed = /^\[([^\]]*)\]/.exec(header);
  if (bracketed) return bracketed[1];
  return header.replace(/:\d*$/, "");
}
